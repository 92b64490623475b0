namespace DmarcCloud.Core.ReportIngest;

/// <summary><c>date_range</c>: the reporting period in Unix seconds (RFC 7489 Appendix C, RFC 9990 §3.1.1).</summary>
/// <param name="Begin"><c>begin</c>.</param>
/// <param name="End"><c>end</c>.</param>
public sealed record ReportDateRange(long Begin, long End)
{
    /// <summary>The UTC day the report is filed under: the day of the middle of the range (reporters differ on whether <c>end</c> is inclusive).</summary>
    public DateOnly Day => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(Begin + ((End - Begin) / 2)).UtcDateTime);
}
