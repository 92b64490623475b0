using System.Net;
using System.Net.Sockets;
using DmarcCloud.Core.Dns;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Caching.Memory;
using MxRecord = DmarcCloud.Core.Dns.MxRecord;
using TxtRecord = DmarcCloud.Core.Dns.TxtRecord;

namespace DmarcCloud.Azure.Dns;

/// <summary>
/// <see cref="IDnsResolver"/> over real DNS with DnsClient: UDP with TCP fallback on truncation, configurable
/// servers, timeout and retries, CNAME chains followed, NXDOMAIN / NODATA / temporary failure kept apart, and a
/// TTL-honouring cache of its own (DnsClient's cache is off) with negative caching and a size bound.
/// </summary>
/// <remarks>
/// RFC 1035 §4.2 (UDP, TCP, TC bit), RFC 2308 §5 (negative caching: the lesser of the SOA's TTL and MINIMUM),
/// RFC 7208 §2.6.6 and §4.6.4 (SERVFAIL, REFUSED, timeouts become temperror, not void lookups).
/// Temporary failures are not cached, so the next message retries.
/// </remarks>
public sealed class DnsClientResolver : IDnsResolver, IDeprecatedSpfTypeResolver
{
    private const int MaxCnameChain = 8;

    private readonly LookupClient _client;
    private readonly DnsClientResolverOptions _options;
    // Bounded by entry count (each answer counts 1); reads take no lock. When full, MemoryCache refuses the new entry
    // and compacts (least recently used first) in the background. Expiry is checked against the options' clock
    // on every read (MemoryCache's own clock cannot be a TimeProvider), so an expired answer is never served.
    private readonly MemoryCache? _cache;

    /// <summary>Creates a resolver; with no servers in <paramref name="options"/>, the system's resolvers are used.</summary>
    public DnsClientResolver(DnsClientResolverOptions? options = null)
    {
        _options = options ?? new DnsClientResolverOptions();
        var clientOptions = _options.Servers.Count > 0
            ? new LookupClientOptions(_options.Servers.Select(s => new NameServer(s)).ToArray())
            : new LookupClientOptions();
        clientOptions.UseCache = false; // this class caches, with negative caching and a bound
        clientOptions.Timeout = _options.Timeout;
        clientOptions.Retries = _options.Retries;
        clientOptions.UseTcpFallback = _options.UseTcpFallback;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.ContinueOnDnsError = true;
        clientOptions.ContinueOnEmptyResponse = false;
        clientOptions.EnableAuditTrail = false;
        _client = new LookupClient(clientOptions);
        _cache = _options.CacheSize > 0
            ? new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.CacheSize, CompactionPercentage = 0.1 })
            : null;
    }

    /// <summary>The servers queried.</summary>
    public IReadOnlyList<IPEndPoint> Servers => _client.NameServers.Select(n => new IPEndPoint(IPAddress.Parse(n.Address), n.Port)).ToArray();

    /// <summary>Number of answers in the cache (expired ones included until they are dropped).</summary>
    public int CachedCount => _cache?.Count ?? 0;

    /// <inheritdoc />
    public async Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default) =>
        Convert(await QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false), r => r as TxtRecord);

    /// <inheritdoc />
    public async Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) =>
        Convert(await QueryAsync(name, QueryType.A, cancellationToken).ConfigureAwait(false), r => r as IPAddress);

    /// <inheritdoc />
    public async Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) =>
        Convert(await QueryAsync(name, QueryType.AAAA, cancellationToken).ConfigureAwait(false), r => r as IPAddress);

    /// <inheritdoc />
    public async Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) =>
        Convert(await QueryAsync(name, QueryType.MX, cancellationToken).ConfigureAwait(false), r => r as MxRecord);

    /// <inheritdoc />
    public async Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        Convert(await QueryAsync(DnsName.ReverseName(address), QueryType.PTR, cancellationToken).ConfigureAwait(false), r => r as string);

    /// <inheritdoc />
    public async Task<DnsResult<TxtRecord>> LookupSpfTypeAsync(string name, CancellationToken cancellationToken = default) =>
        Convert(await QueryAsync(name, QueryType.SPF, cancellationToken).ConfigureAwait(false), r => r as TxtRecord);

    private static DnsResult<T> Convert<T>(DnsResult<object> result, Func<object, T?> map)
        where T : class =>
        result.Status == DnsResultStatus.Success
            ? DnsResult<T>.Success(result.Records.Select(map).OfType<T>().ToArray())
            : result.WithoutRecords<T>();

    private async Task<DnsResult<object>> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        var key = (DnsName.Normalize(name), type);
        var now = _options.TimeProvider.GetUtcNow();
        if (_cache is not null && _cache.TryGetValue(key, out var found) && found is CacheEntry cached)
        {
            if (cached.Expires > now)
            {
                return cached.Result;
            }

            _cache.Remove(key);
        }

        var (result, ttl) = await ResolveAsync(key.Item1, type, cancellationToken).ConfigureAwait(false);
        if (result.Status != DnsResultStatus.TemporaryFailure && ttl > TimeSpan.Zero)
        {
            Store(key, new CacheEntry(result, now + (ttl > _options.MaximumTtl ? _options.MaximumTtl : ttl)));
        }

        return result;
    }

    /// <summary>Asks DNS, following CNAMEs the server did not resolve itself; returns the answer and how long it may be kept.</summary>
    private async Task<(DnsResult<object> Result, TimeSpan Ttl)> ResolveAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        var current = name;
        var ttl = TimeSpan.MaxValue;
        for (var hop = 0; hop <= MaxCnameChain; hop++)
        {
            IDnsQueryResponse response;
            try
            {
                response = await _client.QueryAsync(current, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            }
            catch (DnsResponseException ex)
            {
                return (DnsResult<object>.TemporaryFailure(ex.Code == DnsResponseCode.ConnectionTimeout ? "timeout" : ex.DnsError), TimeSpan.Zero);
            }
            catch (SocketException ex)
            {
                return (DnsResult<object>.TemporaryFailure("network error: " + ex.SocketErrorCode), TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                return (DnsResult<object>.TemporaryFailure("timeout"), TimeSpan.Zero);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (DnsResult<object>.TemporaryFailure("timeout"), TimeSpan.Zero);
            }
            catch (ArgumentException ex) when (ex is not ArgumentNullException)
            {
                // DnsClient refuses names DNS cannot carry (a label over 63 octets, a name over 255): no such name.
                return (DnsResult<object>.NxDomain(), TimeSpan.Zero);
            }

            switch (response.Header.ResponseCode)
            {
                case DnsHeaderResponseCode.NoError:
                    break;
                case DnsHeaderResponseCode.NotExistentDomain:
                    return (DnsResult<object>.NxDomain(), Min(ttl, NegativeTtl(response)));
                default:
                    return (DnsResult<object>.TemporaryFailure(response.Header.ResponseCode.ToString()), TimeSpan.Zero);
            }

            // Walk the chain the server put in the answer section (RFC 1034 §3.6.2).
            var owner = current;
            var records = new List<object>();
            for (var step = 0; step <= MaxCnameChain; step++)
            {
                var atOwner = response.Answers.Where(r => DnsName.Normalize(r.DomainName.Value) == owner).ToList();
                foreach (var record in atOwner)
                {
                    var data = Data(record, type);
                    if (data is not null)
                    {
                        records.Add(data);
                        ttl = Min(ttl, TimeSpan.FromSeconds(Math.Max(0, record.TimeToLive)));
                    }
                }

                var alias = atOwner.OfType<CNameRecord>().FirstOrDefault();
                if (records.Count > 0 || alias is null || type == QueryType.CNAME)
                {
                    break;
                }

                ttl = Min(ttl, TimeSpan.FromSeconds(Math.Max(0, alias.TimeToLive)));
                owner = DnsName.Normalize(alias.CanonicalName.Value);
            }

            if (records.Count > 0)
            {
                return (DnsResult<object>.Success(records), ttl);
            }

            if (owner != current)
            {
                // The answer ended at an alias whose target the server did not resolve: ask for the target.
                current = owner;
                continue;
            }

            return (DnsResult<object>.NoData(), Min(ttl, NegativeTtl(response)));
        }

        return (DnsResult<object>.TemporaryFailure("CNAME chain too long"), TimeSpan.Zero);
    }

    private static object? Data(DnsResourceRecord record, QueryType type) => (record, type) switch
    {
        (ARecord a, QueryType.A) => a.Address,
        (AaaaRecord aaaa, QueryType.AAAA) => aaaa.Address,
        (DnsClient.Protocol.MxRecord mx, QueryType.MX) => new MxRecord(mx.Preference, DnsName.Normalize(mx.Exchange.Value)),
        (DnsClient.Protocol.TxtRecord txt, QueryType.TXT or QueryType.SPF) => new TxtRecord(txt.Text.ToArray()),
        (PtrRecord ptr, QueryType.PTR) => DnsName.Normalize(ptr.PtrDomainName.Value),
        (CNameRecord cname, QueryType.CNAME) => DnsName.Normalize(cname.CanonicalName.Value),
        _ => null,
    };

    /// <summary>RFC 2308 §5: a negative answer lives for the lesser of the SOA record's TTL and its MINIMUM field.</summary>
    private TimeSpan NegativeTtl(IDnsQueryResponse response)
    {
        var soa = response.Authorities.OfType<SoaRecord>().FirstOrDefault();
        return soa is null
            ? _options.DefaultNegativeTtl
            : TimeSpan.FromSeconds(Math.Min((long)Math.Max(0, soa.TimeToLive), soa.Minimum));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void Store((string, QueryType) key, CacheEntry entry)
    {
        if (_cache is null)
        {
            return;
        }

        using var cacheEntry = _cache.CreateEntry(key);
        cacheEntry.Size = 1;
        cacheEntry.Value = entry;
    }

    private sealed record CacheEntry(DnsResult<object> Result, DateTimeOffset Expires);
}
