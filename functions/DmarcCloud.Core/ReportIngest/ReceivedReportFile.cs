namespace DmarcCloud.Core.ReportIngest;

/// <summary>Everything read from one input: the reports found (each read or rejected) or why nothing could be read.</summary>
/// <param name="Kind">What the input was: <c>xml</c>, <c>gzip</c>, <c>zip</c>, <c>mail</c>, <c>mbox</c> (or <c>unknown</c>).</param>
/// <param name="Items">The reports found, rejected ones included.</param>
/// <param name="Error">Why the input as a whole could not be read (then <see cref="Items"/> is empty).</param>
public sealed record ReceivedReportFile(string Kind, IReadOnlyList<ReceivedReport> Items, string? Error)
{
    /// <summary>The reports read successfully.</summary>
    public IEnumerable<ReceivedReport> Reports => Items.Where(i => i.Success);

    /// <summary>An input that could not be read at all.</summary>
    public static ReceivedReportFile Unreadable(string kind, string error) => new(kind, [], error);
}
