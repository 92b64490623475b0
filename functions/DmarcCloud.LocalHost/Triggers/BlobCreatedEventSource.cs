using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using DmarcCloud.LocalHost.Bindings;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Emulates the Event Grid system topic → Service Bus subscription: polls a container and, for each new
/// blob, sends one BlobCreated event as a Service Bus message to a queue. Announced blobs are remembered in
/// the Azurite table <c>LocalHostBlobEvents</c> (claimed before sending, marked sent after), so each blob is
/// announced once even across runner restarts; a claim left unsent by a crash is sent on the next start.
/// </summary>
public sealed class BlobCreatedEventSource(
    LocalStorage storage,
    string container,
    string queueName,
    TimeSpan pollInterval,
    TimeProvider time,
    Action<string> log)
{
    /// <summary>The table remembering announced blobs.</summary>
    public const string LedgerTable = "LocalHostBlobEvents";

    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private long _announced;

    /// <summary>Events sent by this instance.</summary>
    public long Announced => Interlocked.Read(ref _announced);

    /// <summary>Blobs seen in the container (announced now or earlier).</summary>
    public int Known { get { lock (_known) { return _known.Count; } } }

    /// <summary>Polls until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        await LoadLedgerAsync(stopping).ConfigureAwait(false);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stopping).ConfigureAwait(false);
            }
            catch (global::Azure.RequestFailedException e)
            {
                log($"[event-grid] scan of {container} failed ({e.Status} {e.ErrorCode}); retrying");
            }

            await Task.Delay(pollInterval, time, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Announces every blob not announced yet; returns how many were announced.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken = default)
    {
        var blobs = await storage.ContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var ledger = await storage.TableAsync(LedgerTable, cancellationToken).ConfigureAwait(false);
        var count = 0;
        await foreach (var item in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken).ConfigureAwait(false))
        {
            lock (_known)
            {
                if (_known.Contains(item.Name))
                {
                    continue;
                }
            }

            var entity = new TableEntity(container, RowKey(item.Name)) { ["BlobName"] = item.Name, ["State"] = "Claimed" };
            try
            {
                await ledger.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 409)
            {
                lock (_known) { _known.Add(item.Name); } // announced by an earlier run (or another runner)
                continue;
            }

            await AnnounceAsync(blobs, item, ledger, entity, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    private async Task AnnounceAsync(
        global::Azure.Storage.Blobs.BlobContainerClient blobs, BlobItem item, TableClient ledger, TableEntity entity, CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobClient(item.Name);
        var properties = item.Properties;
        var created = properties.CreatedOn ?? properties.LastModified ?? time.GetUtcNow();
        var eventObject = BlobCreatedEvent.Build(
            blobs.AccountName, container, item.Name, blob.Uri, properties.ContentType, properties.ContentLength ?? 0,
            properties.ETag?.ToString(), created, Guid.NewGuid());
        await storage.SendAsync(queueName, BlobCreatedEvent.ToServiceBusMessage(eventObject, queueName), cancellationToken).ConfigureAwait(false);
        entity["State"] = "Sent";
        entity["EventId"] = (string?)eventObject["id"];
        await ledger.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        lock (_known) { _known.Add(item.Name); }
        Interlocked.Increment(ref _announced);
        log($"[event-grid] BlobCreated {container}/{item.Name} → {queueName}");
    }

    private async Task LoadLedgerAsync(CancellationToken cancellationToken)
    {
        var blobs = await storage.ContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var ledger = await storage.TableAsync(LedgerTable, cancellationToken).ConfigureAwait(false);
        await foreach (var entity in ledger.QueryAsync<TableEntity>(e => e.PartitionKey == container, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var name = entity.GetString("BlobName");
            if (name is null)
            {
                continue;
            }

            if (entity.GetString("State") == "Sent")
            {
                lock (_known) { _known.Add(name); }
                continue;
            }

            // Claimed but not sent: the runner stopped in between; send it now.
            await foreach (var item in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: name, cancellationToken).ConfigureAwait(false))
            {
                if (item.Name == name)
                {
                    await AnnounceAsync(blobs, item, ledger, entity, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>A table row key for a blob name (row keys may not hold '/', '\', '#', '?').</summary>
    internal static string RowKey(string blobName) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(blobName)).Replace('/', '_').Replace('+', '-');
}
