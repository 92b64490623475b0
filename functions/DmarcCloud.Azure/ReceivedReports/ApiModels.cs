namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>A domain with received reports.</summary>
/// <param name="Domain">The domain.</param>
public sealed record DomainListItem(string Domain);

/// <summary>A domain's figures over a window of whole UTC days (Xeams's summary figures and more).</summary>
public sealed record DomainSummary
{
    /// <summary>The domain.</summary>
    public required string Domain { get; init; }

    /// <summary>First day of the window (yyyy-MM-dd).</summary>
    public required string From { get; init; }

    /// <summary>Last day of the window, inclusive.</summary>
    public required string To { get; init; }

    /// <summary>Messages reported.</summary>
    public long Messages { get; init; }

    /// <summary>Messages that passed DMARC ("compliant").</summary>
    public long Compliant { get; init; }

    /// <summary>Messages that did not pass DMARC.</summary>
    public long NotCompliant { get; init; }

    /// <summary>Messages quarantined by the receivers.</summary>
    public long Quarantined { get; init; }

    /// <summary>Messages rejected by the receivers.</summary>
    public long Rejected { get; init; }

    /// <summary>Messages with aligned SPF pass.</summary>
    public long SpfPass { get; init; }

    /// <summary>Messages with aligned SPF fail.</summary>
    public long SpfFail { get; init; }

    /// <summary>Messages with aligned DKIM pass.</summary>
    public long DkimPass { get; init; }

    /// <summary>Messages with aligned DKIM fail.</summary>
    public long DkimFail { get; init; }

    /// <summary>Distinct reporting organisations.</summary>
    public int TotalReporters { get; init; }

    /// <summary>Aggregate reports received.</summary>
    public int TotalReports { get; init; }

    /// <summary>Failure reports received.</summary>
    public int FailureReports { get; init; }

    /// <summary>One entry per day of the window, oldest first.</summary>
    public IReadOnlyList<DailyFigures> Daily { get; init; } = [];
}

/// <summary>One day of a <see cref="DomainSummary"/>.</summary>
/// <param name="Day">yyyy-MM-dd.</param>
/// <param name="Messages">Messages.</param>
/// <param name="Compliant">DMARC pass.</param>
/// <param name="Quarantined">Quarantined.</param>
/// <param name="Rejected">Rejected.</param>
/// <param name="Reports">Reports filed under the day.</param>
public sealed record DailyFigures(string Day, long Messages, long Compliant, long Quarantined, long Rejected, int Reports)
{
    /// <summary>Compliant share, 0–1 (0 when no messages).</summary>
    public double PassRate => Messages == 0 ? 0 : Math.Round((double)Compliant / Messages, 4);
}

/// <summary>A source address sending as the domain.</summary>
public sealed record SourceSummary
{
    /// <summary>The address (as reported).</summary>
    public required string Ip { get; init; }

    /// <summary>Its reverse-DNS name.</summary>
    public string? Ptr { get; init; }

    /// <summary>The PTR name's registrable domain.</summary>
    public string? BaseDomain { get; init; }

    /// <summary>The well-known sending service.</summary>
    public string? Service { get; init; }

    /// <summary>Messages.</summary>
    public long Messages { get; init; }

    /// <summary>DMARC pass.</summary>
    public long Compliant { get; init; }

    /// <summary>Aligned SPF pass rate, 0–1.</summary>
    public double SpfAlignedPassRate { get; init; }

    /// <summary>Aligned DKIM pass rate, 0–1.</summary>
    public double DkimAlignedPassRate { get; init; }

    /// <summary>Quarantined.</summary>
    public long Quarantined { get; init; }

    /// <summary>Rejected.</summary>
    public long Rejected { get; init; }

    /// <summary>Reporting organisations that saw it.</summary>
    public IReadOnlyList<string> Reporters { get; init; } = [];
}

/// <summary>A reporting organisation.</summary>
/// <param name="OrgName">Its name.</param>
/// <param name="Reports">Reports from it in the window.</param>
/// <param name="Messages">Messages it reported.</param>
/// <param name="Compliant">DMARC pass among them.</param>
/// <param name="LastDay">Most recent day reported (yyyy-MM-dd).</param>
public sealed record ReporterSummary(string OrgName, int Reports, long Messages, long Compliant, string LastDay);

/// <summary>A stored aggregate report, listed.</summary>
public sealed record ReportListItem
{
    /// <summary>The report key (dedupe key).</summary>
    public required string Key { get; init; }

    /// <summary><c>org_name</c>.</summary>
    public required string OrgName { get; init; }

    /// <summary><c>report_id</c>.</summary>
    public required string ReportId { get; init; }

    /// <summary>The day it is filed under.</summary>
    public required string Day { get; init; }

    /// <summary><c>date_range/begin</c> (Unix seconds).</summary>
    public long Begin { get; init; }

    /// <summary><c>date_range/end</c>.</summary>
    public long End { get; init; }

    /// <summary>Records.</summary>
    public long Records { get; init; }

    /// <summary>Messages.</summary>
    public long Messages { get; init; }

    /// <summary>DMARC pass.</summary>
    public long Compliant { get; init; }

    /// <summary>Schema seen.</summary>
    public string? Format { get; init; }
}

/// <summary>One stored report: its listing, the parsed report (re-read from the kept raw file), and where the raw file is.</summary>
/// <param name="Summary">The listing.</param>
/// <param name="Report">The parsed report.</param>
/// <param name="Blob">The raw file's blob name.</param>
public sealed record StoredReport(ReportListItem Summary, DmarcCloud.Core.ReportIngest.AggregateReport? Report, string Blob);

/// <summary>A stored failure report, listed.</summary>
/// <param name="Key">Its row key.</param>
/// <param name="ArrivalDate">Unix seconds.</param>
/// <param name="SourceIp">Source address.</param>
/// <param name="AuthFailure">What failed.</param>
/// <param name="Report">The normalised report.</param>
public sealed record FailureReportItem(string Key, long ArrivalDate, string? SourceIp, string? AuthFailure, DmarcCloud.Core.ReportIngest.FailureReport? Report);

/// <summary>An API error body.</summary>
/// <param name="Error">What went wrong.</param>
public sealed record ApiError(string Error);
