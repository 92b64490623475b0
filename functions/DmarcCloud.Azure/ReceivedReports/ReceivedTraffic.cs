using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>A domain's received aggregate-report traffic over a window, as the rollout simulator takes it.</summary>
/// <param name="Rows">The report records, those equal but for their count merged into one, named with their source's PTR and sending service.</param>
/// <param name="Reports">How many stored reports the rows come from.</param>
/// <param name="Warnings">Reports that could be read only in part, with why.</param>
public sealed record ReceivedTraffic(IReadOnlyList<TrafficRow> Rows, int Reports, IReadOnlyList<string> Warnings);
