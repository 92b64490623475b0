using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>
/// Audits what a domain publishes for mail authentication — its DMARC policy (found by the RFC 9989 tree walk), its
/// SPF record and include tree, its DKIM keys — and says what to publish next. Every finding carries a severity, a
/// one-line explanation, the RFC section and, where there is one, the record that fixes it. DNS failures are reported
/// as such, never as a missing record.
/// </summary>
/// <remarks>
/// Reuses the product's own parsers and lookups: <see cref="Dmarc.DmarcPolicyDiscovery"/> and
/// <see cref="Dmarc.DmarcRecord"/> (RFC 9989 §4.7–§4.10), <see cref="Spf.SpfRecord"/> (RFC 7208),
/// <see cref="Dkim.DkimKeyLocator"/> (RFC 6376 §3.6, RFC 8301), <see cref="Reporting.ExternalDestinationVerifier"/>
/// (RFC 9990 §2.4). Pure: DNS comes in through <see cref="IDnsResolver"/>.
/// </remarks>
public sealed class DomainChecker
{
    private readonly IDnsResolver _dns;
    private readonly DomainCheckOptions _options;

    /// <summary>Creates a checker that asks <paramref name="dns"/>.</summary>
    public DomainChecker(IDnsResolver dns, DomainCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _dns = dns;
        _options = options ?? new DomainCheckOptions();
    }

    /// <summary>Whether <paramref name="domain"/> is a name the checker can take: ASCII labels of 1–63 characters, two or more, 253 in all.</summary>
    public static bool IsCheckableDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return false;
        }

        var name = DnsName.Normalize(domain.Trim());
        var labels = name.Split('.');
        return name.Length <= 253 && labels.Length >= 2
            && labels.All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && l[0] != '-' && l[^1] != '-');
    }

    /// <summary>Checks <paramref name="domain"/>.</summary>
    /// <param name="domain">The domain (ASCII; see <see cref="IsCheckableDomain"/>).</param>
    /// <param name="selectors">DKIM selectors to check besides the well-known ones; a missing key at one of these is an error.</param>
    /// <param name="compareWith">A second resolver: every question is asked of it too and the answers are set side by side.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<DomainCheckReport> CheckAsync(string domain, IReadOnlyList<string>? selectors = null, IDnsResolver? compareWith = null, CancellationToken cancellationToken = default)
    {
        if (!IsCheckableDomain(domain))
        {
            throw new ArgumentException($"'{domain}' is not a domain name the checker can take", nameof(domain));
        }

        var name = DnsName.Normalize(domain.Trim());
        var dns = new RecordingDnsResolver(_dns);
        var findings = new List<CheckFinding>();

        var (dmarc, record) = await DmarcAuditor.AuditAsync(dns, name, _options, findings, cancellationToken).ConfigureAwait(false);
        var spf = await SpfAuditor.AuditAsync(dns, name, _options, findings, cancellationToken).ConfigureAwait(false);
        var dkim = await DkimAuditor.AuditAsync(dns, name, selectors ?? [], _options, findings, cancellationToken).ConfigureAwait(false);

        // The record to publish now is for the name that holds the policy; a subdomain that inherits gets its own starter only when there is none.
        var generated = DmarcRecordGenerator.NextStep(dmarc.PolicyDomain ?? name, record, _options.ReportMailbox);

        IReadOnlyList<AnswerComparison>? comparisons = null;
        if (compareWith is not null)
        {
            comparisons = await dns.CompareWithAsync(compareWith, cancellationToken).ConfigureAwait(false);
            foreach (var gap in comparisons.Where(c => !c.Same))
            {
                findings.Add(new CheckFinding("dns.propagation-gap", FindingSeverity.Warning, CheckArea.Dns, gap.Name,
                    $"{gap.Type.ToString().ToUpperInvariant()} {gap.Name}: '{gap.Primary.Summary}' here but '{gap.Secondary.Summary}' at the second resolver: a change has not reached every server yet (or the zones differ).",
                    "RFC 1034 §4.3.5"));
            }
        }

        var ordered = findings
            .Select((f, i) => (f, i))
            .OrderByDescending(x => x.f.Severity)
            .ThenBy(x => x.i)
            .Select(x => x.f)
            .ToArray();
        return new DomainCheckReport(name, dmarc, spf, dkim, ordered, generated, dns.Answers, comparisons);
    }
}
