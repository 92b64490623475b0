using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DmarcCloud.LocalHost.Hosting;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Emulates the Event Grid system topic → Storage queue subscription (Azurite emits no events): polls a
/// container and, for each new blob, writes one BlobCreated event (Event Grid schema, plain JSON) to a queue.
/// Each blob is announced exactly once, also across host restarts: it is claimed in the Azurite table
/// <c>LocalHostBlobEvents</c> (insert fails if already there) before the event is sent and marked sent after;
/// a claim left unsent by a crash is sent at the next start (with the same event id).
/// Unlike Event Grid it holds back while the queue already has <see cref="MaxQueuedEvents"/> messages or more: Azurite's
/// queue costs O(messages queued) per request, so announcing a large container at once made every receive and
/// delete slower for all (3,000 blobs: 2,600 queued, 28 ms of Azurite CPU per message instead of 4.3 ms).
/// </summary>
public sealed class BlobCreatedEventSource
{
    /// <summary>The table remembering announced blobs.</summary>
    public const string LedgerTable = "LocalHostBlobEvents";

    private readonly BlobContainerClient _container;
    private readonly QueueClient _queue;
    private readonly TableClient _ledger;
    private readonly TimeSpan _pollInterval;
    private readonly HostLog _log;
    private const int AnnounceParallelism = 16;

    /// <summary>Queue length at which announcing pauses until the next scan (checked before each group of 100 blobs).</summary>
    public const int MaxQueuedEvents = 256;

    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private long _announced;
    private bool _outage;
    private bool _prepared;
    private readonly List<BlobItem> _pending = [];
    private TimeSpan _lastListing;

    /// <summary>Creates the source.</summary>
    public BlobCreatedEventSource(string connectionString, string container, string queueName, TimeSpan pollInterval, HostLog log)
    {
        var blobOptions = new BlobClientOptions();
        blobOptions.Retry.MaxRetries = 1;
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        queueOptions.Retry.MaxRetries = 1;
        var tableOptions = new TableClientOptions();
        tableOptions.Retry.MaxRetries = 1;
        _container = new BlobContainerClient(connectionString, container, blobOptions);
        _queue = new QueueClient(connectionString, queueName, queueOptions);
        _ledger = new TableClient(connectionString, LedgerTable, tableOptions);
        _pollInterval = pollInterval;
        _log = log;
    }

    /// <summary>Events sent by this instance.</summary>
    public long Announced => Interlocked.Read(ref _announced);

    /// <summary>Blobs known to be announced (now or by an earlier run).</summary>
    public int Known { get { lock (_known) { return _known.Count; } } }

    /// <summary>
    /// Polls until <paramref name="stopping"/> is cancelled: every poll interval while new blobs keep arriving, backing
    /// off (doubling, up to 1 s or the poll interval if longer) while none do, and never sooner than twice the last
    /// listing's duration, so that listing a large container cannot take more than a third of the time (announcing,
    /// whose cost is per blob, does not delay the next scan).
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var ready = false;
        var idleLimit = _pollInterval > TimeSpan.FromSeconds(1) ? _pollInterval : TimeSpan.FromSeconds(1);
        var delay = _pollInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!ready)
                {
                    await LoadLedgerAsync(stopping).ConfigureAwait(false);
                    ready = true;
                }

                var found = await ScanAsync(stopping).ConfigureAwait(false);
                delay = found > 0 || _pending.Count > 0 ? _pollInterval : TimeSpan.FromTicks(Math.Min(idleLimit.Ticks, delay.Ticks * 2));
                if (_outage)
                {
                    _outage = false;
                    _log.Host($"[event-grid] {_container.Name} reachable again");
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && StorageFaults.IsTransient(e))
            {
                delay = _pollInterval;
                if (!_outage)
                {
                    _outage = true;
                    _log.Problem($"[event-grid] scan of {_container.Name} failed ({StorageFaults.Describe(e)}); retrying");
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // Not a known storage fault: logged every time (it is a bug to fix), and the emulation keeps polling.
                delay = idleLimit;
                _log.Problem($"[event-grid] scan of {_container.Name} failed unexpectedly ({e.GetType().Name}: {StorageFaults.Describe(e)}); retrying");
            }

            var scan = _lastListing; // announcing is not held against the next scan: only listing costs O(container)
            try
            {
                await Task.Delay(delay > 2 * scan ? delay : 2 * scan, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Announces every blob not announced yet; returns how many were announced.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken = default)
    {
        // One listing per scan; the ledger table and the queue are created once (again after a failure: Azurite may
        // have been restarted empty).
        if (_pending.Count > 0)
        {
            // The last scan held back: announce what it found before listing again (a listing costs O(blobs) in Azurite).
            _lastListing = TimeSpan.Zero;
            var held = _pending.ToList();
            _pending.Clear();
            return await AnnounceFreshAsync(held, cancellationToken).ConfigureAwait(false);
        }

        var fresh = new List<BlobItem>();
        var listing = Stopwatch.StartNew();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken).ConfigureAwait(false))
            {
                lock (_known)
                {
                    if (!_known.Contains(item.Name))
                    {
                        fresh.Add(item);
                    }
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0; // no container yet
        }
        finally
        {
            _lastListing = listing.Elapsed;
        }

        return fresh.Count == 0 ? 0 : await AnnounceFreshAsync(fresh, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> AnnounceFreshAsync(List<BlobItem> fresh, CancellationToken cancellationToken)
    {
        try
        {
            return await AnnounceAllAsync(fresh, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _prepared = false;
            throw;
        }
    }

    private async Task<int> AnnounceAllAsync(List<BlobItem> fresh, CancellationToken cancellationToken)
    {
        if (!_prepared)
        {
            await _ledger.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }

        // Claim up to 100 new blobs in one table transaction, send their events concurrently, mark them sent in one
        // more transaction: one blob at a time with three round trips each, the emulation, not the function, was the
        // pipeline's limit. A crash between claim and mark leaves claims that the next start sends (same event ids).
        var count = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = AnnounceParallelism, CancellationToken = cancellationToken };
        var chunks = fresh.Chunk(100).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            if ((await _queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount >= MaxQueuedEvents)
            {
                // The rest waits for the next scan (one poll interval), which announces it before listing again.
                _pending.AddRange(chunks.Skip(i).SelectMany(c => c));
                break;
            }

            var claims = chunk.Select(item => (Item: item, Entity: new TableEntity(_container.Name, RowKey(item.Name))
            {
                ["BlobName"] = item.Name,
                ["State"] = "Claimed",
                ["EventId"] = EventId(item).ToString(),
            })).ToList();
            try
            {
                await _ledger.SubmitTransactionAsync(claims.Select(c => new TableTransactionAction(TableTransactionActionType.Add, c.Entity)), cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                claims = await ClaimEachAsync(claims, cancellationToken).ConfigureAwait(false); // some were announced by an earlier run
            }

            await Parallel.ForEachAsync(claims, parallel, async (claim, token) => await SendEventAsync(claim.Item, claim.Entity, token).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var claim in claims)
            {
                claim.Entity["State"] = "Sent";
            }

            if (claims.Count > 0)
            {
                await _ledger.SubmitTransactionAsync(claims.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, c.Entity)), cancellationToken).ConfigureAwait(false);
            }

            foreach (var claim in claims)
            {
                MarkAnnounced(claim.Item);
            }

            count += claims.Count;
        }

        return count;
    }

    /// <summary>A table row key for a blob name (row keys may not hold '/', '\', '#', '?').</summary>
    internal static string RowKey(string blobName) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(blobName)).Replace('/', '_').Replace('+', '-');

    private static Guid EventId(BlobItem item) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{item.Name}\n{item.Properties.ETag}"))[..16]);

    private async Task<List<(BlobItem Item, TableEntity Entity)>> ClaimEachAsync(List<(BlobItem Item, TableEntity Entity)> claims, CancellationToken cancellationToken)
    {
        var won = new List<(BlobItem Item, TableEntity Entity)>();
        foreach (var claim in claims)
        {
            try
            {
                await _ledger.AddEntityAsync(claim.Entity, cancellationToken).ConfigureAwait(false);
                won.Add(claim);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Claimed before: sent (by an earlier run or scan) — or claimed by a scan whose send failed (storage
                // fault), which must still be sent, with the event id it was claimed with.
                var existing = (await _ledger.GetEntityAsync<TableEntity>(claim.Entity.PartitionKey, claim.Entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                if (existing.GetString("State") == "Sent")
                {
                    lock (_known)
                    {
                        _known.Add(claim.Item.Name);
                    }
                }
                else
                {
                    won.Add((claim.Item, existing));
                }
            }
        }

        return won;
    }

    private async Task AnnounceAsync(BlobItem item, TableEntity entity, CancellationToken cancellationToken)
    {
        await SendEventAsync(item, entity, cancellationToken).ConfigureAwait(false);
        entity["State"] = "Sent";
        await _ledger.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        MarkAnnounced(item);
    }

    private async Task SendEventAsync(BlobItem item, TableEntity entity, CancellationToken cancellationToken)
    {
        var properties = item.Properties;
        var created = properties.CreatedOn ?? properties.LastModified ?? DateTimeOffset.UtcNow;
        var eventId = Guid.TryParse(entity.GetString("EventId"), out var id) ? id : EventId(item);
        var eventObject = BlobCreatedEvent.Build(
            _container.AccountName, _container.Name, item.Name, _container.GetBlobClient(item.Name).Uri, properties.ContentType,
            properties.ContentLength ?? 0, properties.ETag?.ToString(), created, eventId);
        await _queue.SendMessageAsync(eventObject.ToJsonString(), cancellationToken).ConfigureAwait(false);
    }

    private void MarkAnnounced(BlobItem item)
    {
        lock (_known)
        {
            _known.Add(item.Name);
        }

        Interlocked.Increment(ref _announced);
        _log.WorkerLog(1, "EventGrid", $"BlobCreated {_container.Name}/{item.Name} → queue {_queue.Name}", null);
    }

    private async Task LoadLedgerAsync(CancellationToken cancellationToken)
    {
        await _ledger.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var unsent = new List<TableEntity>();
        await foreach (var entity in _ledger.QueryAsync<TableEntity>(e => e.PartitionKey == _container.Name, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetString("BlobName") is not { } name)
            {
                continue;
            }

            if (entity.GetString("State") == "Sent")
            {
                lock (_known)
                {
                    _known.Add(name);
                }
            }
            else
            {
                unsent.Add(entity);
            }
        }

        if (unsent.Count > 0 && (await _container.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var entity in unsent)
            {
                // Claimed but not marked sent: the host stopped in between; send it now.
                var name = entity.GetString("BlobName")!;
                await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: name, cancellationToken).ConfigureAwait(false))
                {
                    if (item.Name == name)
                    {
                        await AnnounceAsync(item, entity, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }
}
