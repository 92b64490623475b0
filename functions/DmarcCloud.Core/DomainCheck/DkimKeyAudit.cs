using DmarcCloud.Core.Dkim;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>What the checker found at one DKIM selector.</summary>
/// <param name="Selector">The selector.</param>
/// <param name="Name">The name queried, <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</param>
/// <param name="Requested">The selector was asked for (not only one of the well-known selectors tried).</param>
/// <param name="Status">Found, not found, invalid record, or DNS failure.</param>
/// <param name="KeyType">The <c>k=</c> value, when found.</param>
/// <param name="KeyBits">The key size in bits, when the key could be read.</param>
/// <param name="Testing">The record has <c>t=y</c>.</param>
/// <param name="Revoked">The record has an empty <c>p=</c>.</param>
/// <param name="HashAlgorithms">The <c>h=</c> list, when published.</param>
/// <param name="Error">Why the key could not be used, when it could not.</param>
/// <remarks>RFC 6376 §3.6.1, RFC 8301 §3, RFC 8463 §4.</remarks>
public sealed record DkimKeyAudit(
    string Selector,
    string Name,
    bool Requested,
    DkimKeyLookupStatus Status,
    string? KeyType = null,
    int? KeyBits = null,
    bool Testing = false,
    bool Revoked = false,
    IReadOnlyList<string>? HashAlgorithms = null,
    string? Error = null);
