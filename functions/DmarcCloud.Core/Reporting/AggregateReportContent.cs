using DmarcCloud.Core.Dmarc;

namespace DmarcCloud.Core.Reporting;

/// <summary>The grouped rows of one policy domain, one UTC day and one policy configuration.</summary>
/// <remarks>RFC 9990 §2.1: one report per policy domain and policy configuration; a change of policy during
/// the day gives one content per configuration seen.</remarks>
/// <param name="Day">The UTC day reported.</param>
/// <param name="Policy">The policy as published (the first verdict's snapshot of this configuration).</param>
/// <param name="ConfigurationKey">A stable text naming the configuration; part of the Report-ID.</param>
/// <param name="Rows">The rows, in a stable order (the same verdicts in any order give the same list).</param>
/// <param name="MessageCount">The sum of the rows' counts.</param>
public sealed record AggregateReportContent(
    DateOnly Day,
    PublishedPolicy Policy,
    string ConfigurationKey,
    IReadOnlyList<AggregateReportRow> Rows,
    long MessageCount);
