namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>What happened to one input: each report found stored, found a duplicate, or rejected with its reason.</summary>
/// <param name="Kind">What the input was (<c>xml</c>, <c>gzip</c>, <c>zip</c>, <c>mail</c>, <c>mbox</c>, <c>unknown</c>).</param>
/// <param name="Blob">Where the raw input was kept.</param>
/// <param name="Items">One entry per report found (or the input itself when unreadable).</param>
public sealed record IngestResult(string Kind, string? Blob, IReadOnlyList<IngestItem> Items)
{
    /// <summary>Reports newly stored.</summary>
    public int Stored => Items.Count(i => i.Outcome == "stored");

    /// <summary>Reports already stored before (nothing changed).</summary>
    public int Duplicates => Items.Count(i => i.Outcome == "duplicate");

    /// <summary>Items rejected.</summary>
    public int Rejected => Items.Count(i => i.Outcome == "rejected");
}
