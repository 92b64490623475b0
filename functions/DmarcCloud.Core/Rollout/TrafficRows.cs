using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Rollout;

/// <summary>Turns aggregate reports into <see cref="TrafficRow"/>s for the simulator.</summary>
/// <remarks>
/// RFC 9990 §3: <c>auth_results</c> holds the raw DKIM and SPF results, <c>policy_evaluated</c> the aligned ones and
/// the disposition. Reports received from other receivers come through the ingest's adapter; this one reads the
/// reports DmarcCloud itself builds (the run-local demo's data).
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
}
