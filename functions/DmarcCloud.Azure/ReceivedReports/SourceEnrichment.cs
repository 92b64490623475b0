namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>What is known about one source address: its reverse-DNS name, that name's registrable domain, and the sending service.</summary>
/// <param name="Ptr">The PTR name, or null (none, not looked up, or DNS unavailable).</param>
/// <param name="BaseDomain">The registrable domain of <paramref name="Ptr"/> (Public Suffix List).</param>
/// <param name="Service">The well-known sending service, or null.</param>
/// <param name="Status"><c>ok</c>, <c>none</c> (no PTR), <c>unavailable</c> (DNS failed or skipped; may be filled in later).</param>
public sealed record SourceEnrichment(string? Ptr, string? BaseDomain, string? Service, string Status);
