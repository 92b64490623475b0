using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Storage;

/// <summary>
/// <see cref="IVerdictStore"/> over Azure Table Storage, laid out for the 00:00 UTC aggregation: one partition
/// per UTC day and policy domain (split into shards for very hot domains), a per-day index of policy domains,
/// and row keys derived from the message key so that a redelivered message is upserted onto its own row.
/// </summary>
/// <remarks>
/// Schema, limits and query patterns: docs/storage.md. Verdicts without a DMARC policy are stored too, in the
/// day's <c>(none)</c> partitions, for diagnostics; <see cref="ListPolicyDomainsAsync"/> and
/// <see cref="ReadAsync"/> never return them.
/// </remarks>
public sealed class TableVerdictStore : IVerdictStore
{
    /// <summary>The policy-domain part of the partition key for verdicts with no DMARC policy (not a valid domain).</summary>
    public const string NoPolicyDomain = "(none)";

    private readonly TableClient _verdicts;
    private readonly TableClient _domains;
    private readonly VerdictStoreOptions _options;
    private readonly ConcurrentDictionary<(string Day, string Domain), int> _indexed = new();
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _created;

    /// <summary>Creates the store over <paramref name="tables"/>.</summary>
    public TableVerdictStore(TableServiceClient tables, VerdictStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _verdicts = tables.GetTableClient(options.TableName);
        _domains = tables.GetTableClient(options.DomainIndexTableName);
    }

    /// <summary>The partition key of a verdict: <c>yyyyMMdd|policy-domain|shard</c>.</summary>
    public static string PartitionKey(DateOnly day, string policyDomain, int shard) =>
        $"{VerdictEntityMapper.DayKey(day)}|{policyDomain}|{shard:D2}";

    /// <summary>The shard (0 ≤ shard &lt; <paramref name="shardCount"/>) a message key falls in: a stable hash, not <see cref="string.GetHashCode()"/>.</summary>
    public static int ShardOf(string messageKey, int shardCount)
    {
        if (shardCount <= 1)
        {
            return 0;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageKey), hash);
        return (int)(BitConverter.ToUInt32(hash[..4]) % (uint)shardCount);
    }

    /// <summary>The row key of a message key: the key itself when it is safe as a row key, else its SHA-256.</summary>
    public static string RowKey(string messageKey)
    {
        var safe = messageKey.Length is > 0 and <= 256 && messageKey.All(c => c is > ' ' and < (char)0x7f and not ('/' or '\\' or '#' or '?'));
        return safe ? messageKey : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageKey)));
    }

    /// <inheritdoc />
    public async Task SaveAsync(string messageKey, Verdict verdict, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageKey);
        ArgumentNullException.ThrowIfNull(verdict);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);

        var day = DateOnly.FromDateTime(verdict.Envelope.ReceivedAt.UtcDateTime);
        var reportable = ReportableVerdict.FromVerdict(messageKey, verdict);
        var domain = reportable?.Policy.Domain.ToLowerInvariant() ?? NoPolicyDomain;
        var shards = reportable is null ? Math.Clamp(_options.ShardCount, 1, 100) : _options.ShardsFor(domain);
        if (reportable is not null)
        {
            // Index first: a verdict is never stored without its day's index entry (a retry redoes both).
            await IndexAsync(day, domain, shards, cancellationToken).ConfigureAwait(false);
        }

        var entity = VerdictEntityMapper.ToEntity(PartitionKey(day, domain, ShardOf(messageKey, shards)), RowKey(messageKey), messageKey, verdict, reportable);
        await _verdicts.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListPolicyDomainsAsync(DateOnly day, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VerdictEntityMapper.DayKey(day)}");
        await foreach (var entity in _domains.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return entity.RowKey;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReportableVerdict> ReadAsync(DateOnly day, string policyDomain, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(policyDomain);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var domain = policyDomain.ToLowerInvariant();
        var shards = Math.Max(await IndexedShardCountAsync(day, domain, cancellationToken).ConfigureAwait(false), _options.ShardsFor(domain));

        if (shards == 1)
        {
            await foreach (var verdict in ReadShardAsync(PartitionKey(day, domain, 0), cancellationToken).ConfigureAwait(false))
            {
                yield return verdict;
            }

            yield break;
        }

        // Fan in: one reader per shard partition, merged through a bounded channel.
        var channel = Channel.CreateBounded<ReportableVerdict>(new BoundedChannelOptions(1000) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readers = Enumerable.Range(0, shards).Select(async shard =>
        {
            await foreach (var verdict in ReadShardAsync(PartitionKey(day, domain, shard), stop.Token).ConfigureAwait(false))
            {
                await channel.Writer.WriteAsync(verdict, stop.Token).ConfigureAwait(false);
            }
        }).ToList();
        var completion = Task.WhenAll(readers).ContinueWith(
            t => channel.Writer.TryComplete(t.Exception?.InnerException),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        try
        {
            await foreach (var verdict in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return verdict;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await completion.ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<ReportableVerdict> ReadShardAsync(string partitionKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and Reportable eq {true}");
        await foreach (var entity in _verdicts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return VerdictEntityMapper.ToReportable(entity);
        }
    }

    private async Task IndexAsync(DateOnly day, string domain, int shards, CancellationToken cancellationToken)
    {
        var key = (VerdictEntityMapper.DayKey(day), domain);
        if (_indexed.TryGetValue(key, out var known) && known >= shards)
        {
            return;
        }

        // Keep the largest shard count seen that day so the reader never misses a shard.
        var existing = await _domains.GetEntityIfExistsAsync<TableEntity>(key.Item1, domain, cancellationToken: cancellationToken).ConfigureAwait(false);
        var stored = existing.HasValue ? existing.Value!.GetInt32("ShardCount") ?? 1 : 0;
        if (stored < shards)
        {
            var entity = new TableEntity(key.Item1, domain) { ["ShardCount"] = shards, ["Day"] = key.Item1 };
            await _domains.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        _indexed[key] = Math.Max(stored, shards);
    }

    private async Task<int> IndexedShardCountAsync(DateOnly day, string domain, CancellationToken cancellationToken)
    {
        var existing = await _domains.GetEntityIfExistsAsync<TableEntity>(VerdictEntityMapper.DayKey(day), domain, cancellationToken: cancellationToken).ConfigureAwait(false);
        return existing.HasValue ? existing.Value!.GetInt32("ShardCount") ?? 1 : 1;
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _createLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_created)
            {
                await CreateIfMissingAsync(_verdicts, cancellationToken).ConfigureAwait(false);
                await CreateIfMissingAsync(_domains, cancellationToken).ConfigureAwait(false);
                _created = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }

    internal static async Task CreateIfMissingAsync(TableClient table, CancellationToken cancellationToken)
    {
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created concurrently by another instance: exactly what we wanted.
        }
    }
}
