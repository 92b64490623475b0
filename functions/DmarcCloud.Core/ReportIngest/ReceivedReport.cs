namespace DmarcCloud.Core.ReportIngest;

/// <summary>One report found in an input (a file, an attachment, an archive entry, an mbox message), or why the item could not be read.</summary>
/// <param name="Origin">Where it was found, e.g. <c>message 3 / attachment 2 (zip entry 1)</c>; never a name from inside an archive.</param>
/// <param name="Aggregate">The aggregate report, when it is one.</param>
/// <param name="Failure">The failure report, when it is one.</param>
/// <param name="Error">Why the item was rejected, when it was.</param>
public sealed record ReceivedReport(string Origin, AggregateReport? Aggregate, FailureReport? Failure, string? Error)
{
    /// <summary>Whether a report was read.</summary>
    public bool Success => Error is null;

    /// <summary>A rejected item.</summary>
    public static ReceivedReport Rejected(string origin, string error) => new(origin, null, null, error);
}
