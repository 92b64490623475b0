namespace DmarcCloud.Core.DomainCheck;

/// <summary>Everything <see cref="DomainChecker"/> found about one domain.</summary>
/// <param name="Domain">The domain checked (lower-case, no trailing dot).</param>
/// <param name="Dmarc">The DMARC policy and where it was found.</param>
/// <param name="Spf">The SPF record and its include tree.</param>
/// <param name="Dkim">Every selector tried; well-known selectors appear only when a key was found or DNS failed.</param>
/// <param name="Findings">The findings, errors first, then warnings, then information.</param>
/// <param name="Generated">The DMARC record to publish now (starter or next step).</param>
/// <param name="Answers">Every DNS question asked and its answer.</param>
/// <param name="Comparisons">The same questions asked of a second resolver, when one was given.</param>
public sealed record DomainCheckReport(
    string Domain,
    DmarcAudit Dmarc,
    SpfAudit Spf,
    IReadOnlyList<DkimKeyAudit> Dkim,
    IReadOnlyList<CheckFinding> Findings,
    GeneratedPolicy Generated,
    IReadOnlyList<DnsAnswer> Answers,
    IReadOnlyList<AnswerComparison>? Comparisons)
{
    /// <summary>At least one finding is an error.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);
}
