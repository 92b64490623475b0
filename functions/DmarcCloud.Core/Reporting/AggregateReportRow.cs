using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Reporting;

/// <summary>One <c>record</c> of an aggregate report: messages alike in everything reported, with their count.</summary>
/// <remarks>RFC 9990 §3 (<c>row</c>, <c>identifiers</c>, <c>auth_results</c>).</remarks>
/// <param name="SourceIp">The source IP as reported (masked when masking applies).</param>
/// <param name="Count">How many messages the row stands for.</param>
/// <param name="Disposition">policy_evaluated/disposition.</param>
/// <param name="DkimAligned">policy_evaluated/dkim is <c>pass</c>.</param>
/// <param name="SpfAligned">policy_evaluated/spf is <c>pass</c>.</param>
/// <param name="Reasons">policy_evaluated/reason entries.</param>
/// <param name="HeaderFrom">identifiers/header_from.</param>
/// <param name="EnvelopeFrom">identifiers/envelope_from.</param>
/// <param name="EnvelopeTo">identifiers/envelope_to.</param>
/// <param name="Dkim">auth_results/dkim: at most 100, aligned passes first.</param>
/// <param name="Spf">auth_results/spf.</param>
public sealed record AggregateReportRow(
    string SourceIp,
    long Count,
    ReportDisposition Disposition,
    bool DkimAligned,
    bool SpfAligned,
    IReadOnlyList<PolicyOverrideReason> Reasons,
    string HeaderFrom,
    string? EnvelopeFrom,
    string? EnvelopeTo,
    IReadOnlyList<DkimSignatureResult> Dkim,
    SpfCheckResult? Spf);
