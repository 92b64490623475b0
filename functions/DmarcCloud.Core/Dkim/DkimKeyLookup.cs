namespace DmarcCloud.Core.Dkim;

/// <summary>The outcome of fetching one DKIM key record.</summary>
/// <param name="Status">How the lookup ended.</param>
/// <param name="Name">The DNS name queried (<c>selector._domainkey.domain</c>).</param>
/// <param name="Record">The key record, when <see cref="DkimKeyLookupStatus.Found"/>.</param>
/// <param name="Error">Why no key record was returned.</param>
public sealed record DkimKeyLookup(DkimKeyLookupStatus Status, string Name, DkimKeyRecord? Record = null, string? Error = null);
