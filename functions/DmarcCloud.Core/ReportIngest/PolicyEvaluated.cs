namespace DmarcCloud.Core.ReportIngest;

/// <summary><c>policy_evaluated</c>: the disposition applied and the DMARC-aligned DKIM/SPF outcomes.</summary>
/// <param name="Disposition"><c>disposition</c>: <c>none</c>, <c>quarantine</c> or <c>reject</c> (null when empty).</param>
/// <param name="Dkim"><c>dkim</c>: aligned DKIM <c>pass</c>/<c>fail</c> (null when missing).</param>
/// <param name="Spf"><c>spf</c>: aligned SPF <c>pass</c>/<c>fail</c> (null when missing).</param>
/// <param name="Reasons"><c>reason</c> elements (local policy overrides).</param>
public sealed record PolicyEvaluated(string? Disposition, string? Dkim, string? Spf, IReadOnlyList<PolicyReason> Reasons)
{
    /// <summary>DMARC passed: aligned DKIM or aligned SPF passed (RFC 7489 §6.6.2).</summary>
    public bool DmarcPass => Dkim == "pass" || Spf == "pass";
}
