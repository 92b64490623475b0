namespace DmarcCloud.Core.DomainCheck;

/// <summary>One thing the domain checker found, with why it matters and how to fix it.</summary>
/// <param name="Code">A stable identifier (e.g. <c>dmarc.missing</c>, <c>spf.too-many-lookups</c>); docs/domain-tools.md lists them.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Area">Which record it is about.</param>
/// <param name="Name">The DNS name concerned (e.g. <c>_dmarc.example.com</c>).</param>
/// <param name="Message">One line a mail administrator can act on.</param>
/// <param name="Rfc">The governing RFC section, e.g. <c>RFC 9989 §4.7</c>.</param>
/// <param name="Fixes">Records to publish that fix it (empty when the fix is not a record).</param>
public sealed record CheckFinding(
    string Code,
    FindingSeverity Severity,
    CheckArea Area,
    string Name,
    string Message,
    string Rfc,
    IReadOnlyList<RecordFix> Fixes)
{
    /// <summary>A finding without a record to publish.</summary>
    public CheckFinding(string code, FindingSeverity severity, CheckArea area, string name, string message, string rfc)
        : this(code, severity, area, name, message, rfc, [])
    {
    }
}
