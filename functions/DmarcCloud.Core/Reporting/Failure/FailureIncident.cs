using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Core.Reporting.Failure;

/// <summary>What makes two failures "identical" for aggregation: the same failure condition from the same source.</summary>
/// <remarks>
/// RFC 9991 §8.1: "participating Mail Receivers are encouraged to aggregate these reports as much as is practical,
/// using the Incidents field" (RFC 5965 §3.2) — "the aim is not to count each and every failure, but rather to report
/// different failure conditions". Two failures are identical when they agree in policy domain, From domain, source
/// IP, MAIL FROM domain, the SPF result, every DKIM (domain, selector, result), the DMARC result and the <c>fo</c>
/// options that fired. Message content (Subject, Message-ID, recipients) does not count.
/// </remarks>
public static class FailureIncident
{
    /// <summary>A stable key (32 hex characters) for the failure condition of <paramref name="verdict"/>.</summary>
    public static string KeyOf(Verdict verdict, FailureReportOptions fired)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var text = new StringBuilder()
            .Append(verdict.Policy?.Domain).Append('\n')
            .Append(verdict.HeaderFrom).Append('\n')
            .Append(verdict.Envelope.ClientIp).Append('\n')
            .Append(DomainOf(verdict.Envelope.MailFrom)).Append('\n')
            .Append(verdict.Spf?.Result.ToString()).Append('|').Append(verdict.Spf?.Domain).Append('\n')
            .Append(verdict.Result.ToString()).Append('\n')
            .Append(((int)fired).ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var d in verdict.Dkim.OrderBy(d => d.Domain, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Selector, StringComparer.Ordinal).ThenBy(d => d.Result))
        {
            text.Append(d.Domain.ToLowerInvariant()).Append('|').Append(d.Selector).Append('|').Append(d.Result.ToString()).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }

    private static string DomainOf(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return string.Empty;
        }

        var at = address.LastIndexOf('@');
        return (at < 0 ? address : address[(at + 1)..]).ToLowerInvariant();
    }
}
