using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>One DNS question the checker asked and the answer it got, as text.</summary>
/// <param name="Name">The name asked, normalized.</param>
/// <param name="Type">The record type asked (<c>PTR</c> questions carry the reverse name).</param>
/// <param name="Status">How the query ended.</param>
/// <param name="Records">The records as text (TXT strings joined), sorted.</param>
/// <param name="Error">For a temporary failure, the resolver's error text.</param>
public sealed record DnsAnswer(string Name, DnsRecordType Type, DnsResultStatus Status, IReadOnlyList<string> Records, string? Error = null)
{
    /// <summary>The answer as one line: <c>NXDOMAIN</c>, <c>NODATA</c>, <c>temperror (timeout)</c> or the records.</summary>
    public string Summary => Status switch
    {
        DnsResultStatus.Success => string.Join(" | ", Records),
        DnsResultStatus.NoData => "NODATA",
        DnsResultStatus.NxDomain => "NXDOMAIN",
        _ => $"temperror ({Error})",
    };

    /// <summary>Whether two answers say the same thing (status and records; error texts may differ).</summary>
    public bool SameAs(DnsAnswer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Status == other.Status && Records.SequenceEqual(other.Records, StringComparer.Ordinal);
    }
}
