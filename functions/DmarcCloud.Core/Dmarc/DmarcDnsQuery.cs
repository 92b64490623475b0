using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Dmarc;

/// <summary>One DNS question asked during DMARC discovery and its answer: what the verdict records as "how found".</summary>
/// <param name="Name">The name queried, e.g. <c>_dmarc.example.com</c> (TXT) or <c>sub.example.com</c> (A, existence check).</param>
/// <param name="Type">The record type asked for.</param>
/// <param name="Status">How the query ended.</param>
/// <param name="Records">The TXT texts (or addresses) returned.</param>
/// <param name="Error">For a temporary failure, the resolver's error text.</param>
public sealed record DmarcDnsQuery(
    string Name,
    DnsRecordType Type,
    DnsResultStatus Status,
    IReadOnlyList<string> Records,
    string? Error = null);
