using DmarcCloud.Core;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Functions.Evaluation;

/// <summary>
/// The message sent on Service Bus queue <c>failure-reports</c> when the policy's <c>fo</c>/<c>ruf</c> ask for a
/// failure report. The report writer reads the original message from <see cref="Blob"/>.
/// </summary>
/// <param name="MessageKey">The stable message key.</param>
/// <param name="Blob">The blob holding the message, <c>container/name</c>.</param>
/// <param name="PolicyDomain">The policy domain.</param>
/// <param name="HeaderFrom">The RFC 5322 From domain.</param>
/// <param name="SourceIp">The SMTP client IP.</param>
/// <param name="ReceivedAt">When the message was received (UTC).</param>
/// <param name="Ruf">The policy's failure report URIs.</param>
/// <param name="Fo">The fo options that fired (0, 1, d, s).</param>
/// <param name="Dmarc">The DMARC result.</param>
/// <param name="AuthenticationResults">The rendered Authentication-Results header field.</param>
public sealed record FailureReportRequest(
    string MessageKey,
    string Blob,
    string PolicyDomain,
    string HeaderFrom,
    string SourceIp,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<string> Ruf,
    IReadOnlyList<string> Fo,
    string Dmarc,
    string AuthenticationResults)
{
    /// <summary>The request for <paramref name="verdict"/> (which has a policy) with the <c>fo</c> options that fired.</summary>
    public static FailureReportRequest From(string messageKey, string blob, Verdict verdict, IReadOnlyList<string> fo)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var policy = verdict.Policy ?? throw new ArgumentException("the verdict has no policy", nameof(verdict));
        return new FailureReportRequest(
            messageKey, blob, policy.Domain, verdict.HeaderFrom ?? string.Empty,
            verdict.Envelope.ClientIp.ToString(), verdict.Envelope.ReceivedAt, policy.Ruf, fo,
            RfcName.Of(verdict.Result), verdict.AuthenticationResults);
    }
}
