namespace DmarcCloud.Core.DomainCheck;

/// <summary>One SPF record in a domain's include tree: where it came from, what it costs, what it includes.</summary>
/// <param name="Domain">The domain whose record this is.</param>
/// <param name="Via">The term that led here (<c>include:_spf.example.net</c>, <c>redirect=…</c>); null at the root.</param>
/// <param name="Record">The SPF record as published, when there is exactly one.</param>
/// <param name="Status">
/// <c>ok</c>, <c>none</c> (no SPF record), <c>multiple</c>, <c>malformed</c>, <c>temperror</c>, <c>loop</c>,
/// <c>macro</c> (the target depends on the message and is not followed) or <c>too-deep</c>.
/// </param>
/// <param name="Problem">What is wrong, for any status but <c>ok</c>.</param>
/// <param name="DnsLookups">DNS-querying terms in this record (include, a, mx, ptr, exists, redirect), not counting children.</param>
/// <param name="VoidLookups">Lookups made for this record's a/mx terms that answered NXDOMAIN or no data.</param>
/// <param name="Children">Included and redirected-to records, in order.</param>
/// <remarks>RFC 7208 §4.6.4: the limits apply to the whole evaluation, so every node counts toward one total.</remarks>
public sealed record SpfTreeNode(
    string Domain,
    string? Via,
    string? Record,
    string Status,
    string? Problem,
    int DnsLookups,
    int VoidLookups,
    IReadOnlyList<SpfTreeNode> Children)
{
    /// <summary>DNS-querying terms of this record and every record below it.</summary>
    public int TotalDnsLookups => DnsLookups + Children.Sum(c => c.TotalDnsLookups);

    /// <summary>Void lookups of this record and every record below it.</summary>
    public int TotalVoidLookups => VoidLookups + Children.Sum(c => c.TotalVoidLookups);
}
