using System.Collections.Concurrent;
using System.Net;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>
/// Names the source addresses of received reports: reverse DNS through <see cref="IDnsResolver"/> (cached, bounded
/// in time, concurrency and memory; paused during a DNS outage), the PTR name's registrable domain, and the sending
/// service from <see cref="SendingServiceCatalog"/>. Never throws for DNS trouble: an address it could not name is
/// returned with status <c>unavailable</c>, and ingest goes on.
/// </summary>
public sealed class SourceEnricher
{
    private readonly IDnsResolver _dns;
    private readonly SourceEnricherOptions _options;
    private readonly SendingServiceCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (SourceEnrichment Value, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);
    private int _consecutiveFailures;
    private long _pausedUntilTicks;

    /// <summary>Creates the enricher.</summary>
    public SourceEnricher(IDnsResolver dns, SourceEnricherOptions? options = null, SendingServiceCatalog? catalog = null, TimeProvider? time = null)
    {
        _dns = dns ?? throw new ArgumentNullException(nameof(dns));
        _options = options ?? new SourceEnricherOptions();
        _catalog = catalog ?? SendingServiceCatalog.Embedded;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Names every address in <paramref name="addresses"/> within the report budget.</summary>
    public async Task<IReadOnlyDictionary<string, SourceEnrichment>> EnrichAsync(IEnumerable<string> addresses, CancellationToken cancellationToken = default)
    {
        using var budget = StartBudget(cancellationToken);
        return await EnrichAsync(addresses, budget.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A token cancelled when one report's lookup budget (<see cref="SourceEnricherOptions.ReportBudget"/>) is spent:
    /// a report's sources are named batch by batch as they are written, all within this one budget.
    /// </summary>
    public CancellationTokenSource StartBudget(CancellationToken cancellationToken = default)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.ReportBudget);
        return budget;
    }

    /// <summary>
    /// Names every address in <paramref name="addresses"/> until <paramref name="budget"/> is cancelled; the addresses
    /// left are answered from the cache or returned unnamed at once (status <c>unavailable</c>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SourceEnrichment>> EnrichAsync(IEnumerable<string> addresses, CancellationToken budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var result = new ConcurrentDictionary<string, SourceEnrichment>(StringComparer.Ordinal);
        var distinct = addresses.Distinct(StringComparer.Ordinal).ToList();
        try
        {
            await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = budget }, async (address, token) =>
            {
                result[address] = await EnrichOneAsync(address, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Budget spent: the rest is stored unnamed (or as cached).
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var address in distinct)
        {
            if (!result.ContainsKey(address))
            {
                result[address] = Cached(address) ?? Unnamed(address);
            }
        }

        return result;
    }

    private SourceEnrichment? Cached(string address) =>
        _cache.TryGetValue(address, out var cached) && cached.Expires > _time.GetUtcNow() ? cached.Value : null;

    private async Task<SourceEnrichment> EnrichOneAsync(string address, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(address, out var cached) && cached.Expires > now)
        {
            return cached.Value;
        }

        if (!IPAddress.TryParse(address, out var ip))
        {
            return new SourceEnrichment(null, null, null, "none");
        }

        if (now.UtcTicks < Interlocked.Read(ref _pausedUntilTicks))
        {
            return Unnamed(address);
        }

        DnsResult<string> answer;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.LookupTimeout);
            try
            {
                answer = await _dns.LookupPtrAsync(ip, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                answer = DnsResult<string>.TemporaryFailure("timeout");
            }
        }

        if (answer.Status == DnsResultStatus.TemporaryFailure)
        {
            if (Interlocked.Increment(ref _consecutiveFailures) >= _options.FailuresBeforePause)
            {
                Interlocked.Exchange(ref _pausedUntilTicks, (now + _options.Pause).UtcTicks);
                Interlocked.Exchange(ref _consecutiveFailures, 0);
            }

            return Unnamed(address);
        }

        Interlocked.Exchange(ref _consecutiveFailures, 0);
        var ptr = answer.Records.Count > 0 ? answer.Records[0].TrimEnd('.').ToLowerInvariant() : null;
        var baseDomain = ptr is null ? null : PublicSuffixList.Embedded.GetRegistrableDomain(ptr);
        var value = new SourceEnrichment(ptr, baseDomain, _catalog.Match(ip, ptr)?.Name, ptr is null ? "none" : "ok");
        if (_cache.Count >= _options.CacheSize)
        {
            _cache.Clear();
        }

        _cache[address] = (value, now + _options.CacheLifetime);
        return value;
    }

    private SourceEnrichment Unnamed(string address) =>
        new(null, null, IPAddress.TryParse(address, out var ip) ? _catalog.Match(ip, null)?.Name : null, "unavailable");
}
