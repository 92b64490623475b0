using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>What building one job produced.</summary>
/// <param name="Files">The report parts stored (blob name and file).</param>
/// <param name="Outbound">One message per (part, authorized destination).</param>
/// <param name="Refused">Destinations not sent to (unauthorized or unsupported), recorded in the ledger.</param>
public sealed record AggregateReportBuildResult(
    IReadOnlyList<AggregateReportFile> Files,
    IReadOnlyList<OutboundReport> Outbound,
    IReadOnlyList<ReportDelivery> Refused);
