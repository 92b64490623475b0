using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;

namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>
/// Counters for the failure report rate limits and incident aggregation, in table <c>ReportLedger</c>. Each bucket is
/// one partition holding a counter row (<c>count</c>: Granted, Denied) and one marker row per request counted
/// (<c>req|&lt;id&gt;</c>). A request is counted with one entity group transaction — insert its marker, update the
/// counter under its ETag — so concurrent requests never lose an increment (the loser of an ETag race reads again)
/// and a redelivered request is never counted twice (its marker exists: the earlier decision stands).
/// </summary>
/// <remarks>
/// Buckets (PartitionKey): <c>ruf-rate|&lt;scope&gt;|&lt;key&gt;|&lt;yyyyMMddHH or yyyyMMdd&gt;</c> for the limits,
/// <c>ruf-incident|&lt;destination&gt;|&lt;window&gt;|&lt;incident key&gt;</c> for aggregation. RFC 9991 §2 ("Report generators
/// MUST implement a rate-limit on outgoing reports") and §8.1 (aggregate with <c>Incidents</c>).
/// </remarks>
public sealed class FailureReportLimiter
{
    private const string CounterRow = "count";
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _created;

    /// <summary>Creates a limiter over <paramref name="table"/> (the <c>ReportLedger</c> table).</summary>
    public FailureReportLimiter(TableClient table, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(time);
        _table = table;
        _time = time;
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync(CancellationToken.None));
    }

    /// <summary>The bucket of an hourly limit.</summary>
    public static string HourBucket(string scope, string key, DateTimeOffset at) =>
        $"ruf-rate|{scope}|{Escape(key)}|{at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}";

    /// <summary>The bucket of a daily cap.</summary>
    public static string DayBucket(string scope, string key, DateTimeOffset at) =>
        $"ruf-rate|{scope}|{Escape(key)}|{at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    /// <summary>The bucket of one failure condition in one aggregation window for one destination.</summary>
    public static string IncidentBucket(string destination, long window, string incidentKey) =>
        $"ruf-incident|{Escape(destination)}|{window.ToString(CultureInfo.InvariantCulture)}|{incidentKey}";

    /// <summary>
    /// Counts <paramref name="requestId"/> in <paramref name="bucket"/>: granted while fewer than <paramref name="limit"/>
    /// were granted before, denied (and counted as such) after. Idempotent per request; safe under concurrency.
    /// </summary>
    public async Task<FailureReportCount> CountAsync(string bucket, string requestId, long limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        await _created.Value.ConfigureAwait(false);
        var marker = "req|" + Escape(requestId);
        while (true)
        {
            var counter = await _table.GetEntityIfExistsAsync<TableEntity>(bucket, CounterRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var granted = counter.HasValue ? counter.Value!.GetInt64("Granted") ?? 0 : 0;
            var denied = counter.HasValue ? counter.Value!.GetInt64("Denied") ?? 0 : 0;
            var grant = granted < limit;
            var now = _time.GetUtcNow();
            var updated = new TableEntity(bucket, CounterRow)
            {
                ["Granted"] = granted + (grant ? 1 : 0),
                ["Denied"] = denied + (grant ? 0 : 1),
                ["Limit"] = limit,
                ["UpdatedAt"] = now,
            };
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(bucket, marker)
                {
                    ["RequestId"] = requestId,
                    ["Granted"] = grant,
                    ["Position"] = granted + denied,
                    ["At"] = now,
                }),
                counter.HasValue
                    ? new(TableTransactionActionType.UpdateReplace, updated, counter.Value!.ETag)
                    : new(TableTransactionActionType.Add, updated),
            };
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return new FailureReportCount(grant, granted + denied, Repeated: false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Either this request was counted before (its marker exists) or another request updated the counter first.
                var existing = await _table.GetEntityIfExistsAsync<TableEntity>(bucket, marker, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (existing.HasValue)
                {
                    return new FailureReportCount(existing.Value!.GetBoolean("Granted") ?? false, existing.Value!.GetInt64("Position") ?? 0, Repeated: true);
                }
            }
        }
    }

    /// <summary>The counter of a bucket: how many were granted and denied (zero when nothing was counted).</summary>
    public async Task<(long Granted, long Denied)> ReadAsync(string bucket, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var counter = await _table.GetEntityIfExistsAsync<TableEntity>(bucket, CounterRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return counter.HasValue ? (counter.Value!.GetInt64("Granted") ?? 0, counter.Value!.GetInt64("Denied") ?? 0) : (0, 0);
    }

    /// <summary>
    /// Notes an aggregated incident for the summary sent after its window (<c>ruf-pending|&lt;window&gt;</c> / destination|key),
    /// keeping the first aggregated request as the example. Idempotent.
    /// </summary>
    public async Task NotePendingAsync(long window, string destination, string incidentKey, string requestJson, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var entity = new TableEntity(PendingPartition(window), Escape(destination) + "|" + incidentKey)
        {
            ["Destination"] = destination,
            ["IncidentKey"] = incidentKey,
            ["Window"] = window,
            ["State"] = "Pending",
            ["At"] = _time.GetUtcNow(),
        };
        // A table string property holds at most 32K UTF-16 characters; a verdict larger than that is not kept as the example.
        if (requestJson.Length < 30_000)
        {
            entity["Request"] = requestJson;
        }

        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // Noted before (another aggregated request of the same incident, or a redelivery).
        }
    }

    /// <summary>The incidents of <paramref name="window"/> still waiting for their summary.</summary>
    public async Task<IReadOnlyList<TableEntity>> ListPendingAsync(long window, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var list = new List<TableEntity>();
        var partition = PendingPartition(window);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and State eq {"Pending"}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>Marks a pending incident done, with what happened to its summary.</summary>
    public async Task MarkPendingDoneAsync(TableEntity pending, string outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var entity = new TableEntity(pending.PartitionKey, pending.RowKey) { ["State"] = "Done", ["Outcome"] = outcome, ["DoneAt"] = _time.GetUtcNow() };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last aggregation window whose summaries were all sent, or null before the first flush.</summary>
    public async Task<long?> GetFlushedWindowAsync(CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var entity = await _table.GetEntityIfExistsAsync<TableEntity>("watermark", "ruf-flush", cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? entity.Value!.GetInt64("Window") : null;
    }

    /// <summary>Moves the flush watermark to <paramref name="window"/>.</summary>
    public async Task SetFlushedWindowAsync(long window, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var entity = new TableEntity("watermark", "ruf-flush") { ["Window"] = window, ["UpdatedAt"] = _time.GetUtcNow() };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static string PendingPartition(long window) => "ruf-pending|" + window.ToString(CultureInfo.InvariantCulture);

    /// <summary>Table keys may not hold / \ # ? or control characters: escape them.</summary>
    private static string Escape(string value) => Uri.EscapeDataString(value.ToLowerInvariant());
}
