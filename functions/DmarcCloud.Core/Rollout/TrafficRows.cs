using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Rollout;

/// <summary>Turns aggregate reports into <see cref="TrafficRow"/>s for the simulator.</summary>
/// <remarks>
/// RFC 9990 §3: <c>auth_results</c> holds the raw DKIM and SPF results, <c>policy_evaluated</c> the aligned ones and
/// the disposition. <see cref="FromReceived"/> reads reports received from other receivers (as the ingest parses
/// them); <see cref="FromReport"/> reads the reports DmarcCloud itself builds (the run-local demo's data).
/// </remarks>
public static class TrafficRows
{
    /// <summary>The rows of a report DmarcCloud built.</summary>
    /// <param name="content">The report content.</param>
    /// <param name="reporter">The reporting organization's domain, if wanted in the rows.</param>
    public static IEnumerable<TrafficRow> FromReport(AggregateReportContent content, string? reporter = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.Rows.Select(row => new TrafficRow(
            content.Day,
            row.SourceIp,
            row.HeaderFrom.ToLowerInvariant(),
            row.Count,
            DkimPass: row.Dkim.Any(d => d.Result == DkimResult.Pass),
            DkimAligned: row.DkimAligned,
            SpfPass: row.Spf?.Result == SpfResult.Pass,
            SpfAligned: row.SpfAligned,
            Disposition: row.Disposition switch
            {
                ReportDisposition.Quarantine => Disposition.Quarantine,
                ReportDisposition.Reject => Disposition.Reject,
                _ => Disposition.None,
            },
            Reporter: reporter));
    }

    /// <summary>
    /// The rows of a received aggregate report (RFC 7489 Appendix C, RFC 9990 or the draft, as
    /// <see cref="AggregateReportParser"/> normalises them). A report spanning several days is filed under the
    /// ingest's day for it (<see cref="ReportDateRange.Day"/>); a row without <c>header_from</c> is taken as the
    /// policy domain's. Only SPF results for the MAIL FROM (scope <c>mfrom</c> or none) count as an SPF pass.
    /// </summary>
    public static IEnumerable<TrafficRow> FromReceived(AggregateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var day = report.DateRange.Day;
        return report.Records.Select(record => new TrafficRow(
            day,
            record.Row.SourceIp,
            (record.Identifiers.HeaderFrom ?? report.PolicyPublished.Domain).Trim().TrimEnd('.').ToLowerInvariant(),
            record.Row.Count,
            DkimPass: record.AuthResults.Dkim.Any(d => d.Result == "pass"),
            DkimAligned: record.Row.PolicyEvaluated.Dkim == "pass",
            SpfPass: record.AuthResults.Spf.Any(s => s.Result == "pass" && s.Scope is null or "mfrom"),
            SpfAligned: record.Row.PolicyEvaluated.Spf == "pass",
            Disposition: record.Row.PolicyEvaluated.Disposition switch
            {
                "quarantine" => Disposition.Quarantine,
                "reject" => Disposition.Reject,
                null => null,
                _ => Disposition.None,
            },
            Reporter: report.OrgName));
    }
}
