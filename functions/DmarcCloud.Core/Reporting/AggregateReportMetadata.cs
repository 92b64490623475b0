namespace DmarcCloud.Core.Reporting;

/// <summary>The <c>report_metadata</c> of one report (one part).</summary>
/// <remarks>RFC 9990 §3.1.1; <c>date_range</c> in seconds since the epoch, a whole UTC day.</remarks>
/// <param name="Organization">The reporter.</param>
/// <param name="ReportId">The Report-ID (also in Subject and filename).</param>
/// <param name="Begin">date_range/begin (00:00:00 UTC).</param>
/// <param name="End">date_range/end (23:59:59 UTC of the same day).</param>
public sealed record AggregateReportMetadata(
    ReportingOrganization Organization,
    string ReportId,
    long Begin,
    long End)
{
    /// <summary>The metadata of the whole UTC day <paramref name="day"/>.</summary>
    public static (long Begin, long End) RangeOf(DateOnly day)
    {
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        return (begin, begin + 86_399);
    }
}
