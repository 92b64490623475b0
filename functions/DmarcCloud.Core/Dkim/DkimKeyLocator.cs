using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Dkim;

/// <summary>Fetches DKIM key records over <see cref="IDnsResolver"/> and parses them.</summary>
/// <remarks>
/// RFC 6376 §3.6.2.1: the key lives in a TXT record at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.
/// §6.1.2: a temporary DNS failure is TEMPFAIL; NXDOMAIN/NODATA or no parsable record is PERMFAIL.
/// When several TXT records exist, the first that parses as a key record is used (§3.6.2.2 leaves the choice open).
/// The DNS query is made every time (the resolver caches answers by their TTL); parsing the record and importing
/// its public key are pure functions of the record text, so they are kept in a bounded cache by that text.
/// </remarks>
public sealed class DkimKeyLocator
{
    /// <summary>Key records kept parsed and imported, by record text, when no other size is given.</summary>
    internal const int DefaultCacheSize = 1024;

    private readonly IDnsResolver _dns;
    private readonly ParsedRecordCache<DkimCachedKey> _keys;

    /// <summary>Creates a locator over <paramref name="dns"/>.</summary>
    public DkimKeyLocator(IDnsResolver dns)
        : this(dns, DefaultCacheSize)
    {
    }

    internal DkimKeyLocator(IDnsResolver dns, int cacheSize)
    {
        _dns = dns ?? throw new ArgumentNullException(nameof(dns));
        _keys = new ParsedRecordCache<DkimCachedKey>(cacheSize, DkimCachedKey.Create);
    }

    /// <summary>Looks up and parses the key of <paramref name="selector"/> in <paramref name="domain"/>.</summary>
    public async Task<DkimKeyLookup> LocateAsync(string selector, string domain, CancellationToken cancellationToken = default) =>
        (await LocateKeyAsync(selector, domain, cancellationToken).ConfigureAwait(false)).Lookup;

    /// <summary>Like <see cref="LocateAsync"/>, with the record's imported public key when one was found.</summary>
    internal async Task<(DkimKeyLookup Lookup, DkimCachedKey? Key)> LocateKeyAsync(string selector, string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(domain);
        var name = $"{selector}._domainkey.{domain}";
        var answer = await _dns.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case DnsResultStatus.TemporaryFailure:
                return (new(DkimKeyLookupStatus.TemporaryFailure, name, Error: $"key lookup for {name} failed temporarily ({answer.Error})"), null);
            case DnsResultStatus.NxDomain:
                return (new(DkimKeyLookupStatus.NotFound, name, Error: $"no key for signature: {name} does not exist"), null);
            case DnsResultStatus.NoData:
                return (new(DkimKeyLookupStatus.NotFound, name, Error: $"no key for signature: {name} has no TXT record"), null);
        }

        string? firstError = null;
        foreach (var txt in answer.Records)
        {
            var key = _keys.Get(txt.Text);
            if (key.Parsed.Success)
            {
                return (new(DkimKeyLookupStatus.Found, name, key.Parsed.Value), key);
            }

            firstError ??= key.Parsed.Error;
        }

        return (new(DkimKeyLookupStatus.Invalid, name, Error: $"key record at {name} is invalid: {firstError}"), null);
    }
}

/// <summary>A key record parsed from its text, with its public key imported once (shared by every message and thread).</summary>
internal sealed class DkimCachedKey
{
    private DkimCachedKey(DkimParseResult<DkimKeyRecord> parsed, DkimPublicKey? publicKey, string? importError)
    {
        Parsed = parsed;
        PublicKey = publicKey;
        ImportError = importError;
    }

    public DkimParseResult<DkimKeyRecord> Parsed { get; }

    /// <summary>The imported key; null when the record did not parse, is revoked (empty p=), or p= is not a key (<see cref="ImportError"/>).</summary>
    /// <remarks>Never disposed: it may be in use on another thread when the cache drops it; its handle is released by finalization.</remarks>
    public DkimPublicKey? PublicKey { get; }

    public string? ImportError { get; }

    public static DkimCachedKey Create(string text)
    {
        var parsed = DkimKeyRecord.Parse(text);
        if (!parsed.Success || parsed.Value.IsRevoked)
        {
            return new(parsed, null, null);
        }

        var key = DkimPublicKey.Import(parsed.Value.KeyType, parsed.Value.PublicKey, out var error);
        return new(parsed, key, error);
    }
}
