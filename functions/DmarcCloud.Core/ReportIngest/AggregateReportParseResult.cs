namespace DmarcCloud.Core.ReportIngest;

/// <summary>The outcome of reading one aggregate report XML document: a report or a reason, never an exception.</summary>
/// <param name="Value">The report when <see cref="Success"/>; with a record sink its <c>Records</c> is empty.</param>
/// <param name="Error">Why the document was rejected, when not <see cref="Success"/>.</param>
/// <param name="RecordCount">How many <c>record</c> elements were read.</param>
public sealed record AggregateReportParseResult(AggregateReport? Value, string? Error, long RecordCount)
{
    /// <summary>Whether a report was read.</summary>
    public bool Success => Value is not null;

    /// <summary>A rejection.</summary>
    public static AggregateReportParseResult Rejected(string reason, long recordCount = 0) => new(null, reason, recordCount);
}
