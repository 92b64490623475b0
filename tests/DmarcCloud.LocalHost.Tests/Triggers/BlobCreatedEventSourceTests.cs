using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Triggers;

/// <summary>The Event Grid emulation on Azurite: one BlobCreated per blob, plain JSON on the queue, also across restarts.</summary>
public sealed class BlobCreatedEventSourceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_new_blob_becomes_exactly_one_event_also_after_a_restart()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "inbound");
        await container.CreateIfNotExistsAsync();
        var names = new[] { "2026/12/01/a.eml", "2026/12/01/b c.eml", "2026/12/01/d.eml" };
        foreach (var name in names)
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString("mail " + name));
        }

        using var log = new HostLog(new ConcurrentQueue<string>().Enqueue);
        var first = new BlobCreatedEventSource(azurite.ConnectionString, "inbound", "inbound-events", TimeSpan.FromSeconds(1), log);
        Assert.Equal(3, await first.ScanAsync());
        Assert.Equal(0, await first.ScanAsync());
        await container.GetBlobClient("2026/12/01/e.eml").UploadAsync(BinaryData.FromString("late"));
        var restarted = new BlobCreatedEventSource(azurite.ConnectionString, "inbound", "inbound-events", TimeSpan.FromSeconds(1), log);
        Assert.Equal(1, await restarted.ScanAsync());

        var queue = new QueueClient(azurite.ConnectionString, "inbound-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        var subjects = messages.Select(m => (string)JsonNode.Parse(m.MessageText)!["subject"]!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names.Append("2026/12/01/e.eml").Select(n => $"/blobServices/default/containers/inbound/blobs/{n}"), subjects);
        Assert.All(messages, m => Assert.Equal("Microsoft.Storage.BlobCreated", (string)JsonNode.Parse(m.MessageText)!["eventType"]!));
    }

    [Fact]
    public async Task A_blob_claimed_by_a_scan_whose_send_failed_is_sent_by_the_next_scan_with_its_event_id()
    {
        // A scan claimed the blob in the ledger, then sending its event failed (storage fault): the claim stays
        // "Claimed". The next scan must send it, not take the claim for a sent event.
        var containerName = "inbound-claimed-" + Guid.NewGuid().ToString("N")[..8];
        var queueName = "events-claimed-" + Guid.NewGuid().ToString("N")[..8];
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("2026/12/02/claimed.eml").UploadAsync(BinaryData.FromString("mail"));
        var ledger = new TableClient(azurite.ConnectionString, BlobCreatedEventSource.LedgerTable);
        await ledger.CreateIfNotExistsAsync();
        var eventId = Guid.NewGuid();
        await ledger.AddEntityAsync(new TableEntity(containerName, BlobCreatedEventSource.RowKey("2026/12/02/claimed.eml"))
        {
            ["BlobName"] = "2026/12/02/claimed.eml",
            ["State"] = "Claimed",
            ["EventId"] = eventId.ToString(),
        });

        using var log = new HostLog(new ConcurrentQueue<string>().Enqueue);
        var source = new BlobCreatedEventSource(azurite.ConnectionString, containerName, queueName, TimeSpan.FromSeconds(1), log);
        Assert.Equal(1, await source.ScanAsync());
        Assert.Equal(0, await source.ScanAsync());

        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var message = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        Assert.Equal(eventId.ToString(), (string)JsonNode.Parse(message.MessageText)!["id"]!);
        Assert.Equal("Sent", (await ledger.GetEntityAsync<TableEntity>(containerName, BlobCreatedEventSource.RowKey("2026/12/02/claimed.eml"))).Value.GetString("State"));
    }

    [Fact]
    public async Task Announcing_holds_back_while_the_queue_is_full_and_goes_on_when_it_drains()
    {
        // Azurite's queue costs grow with its length, so the emulation stops at MaxQueuedEvents (checked per 100 blobs).
        var containerName = "inbound-held-" + Guid.NewGuid().ToString("N")[..8];
        var queueName = "events-held-" + Guid.NewGuid().ToString("N")[..8];
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();
        await Parallel.ForAsync(0, 350, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await container.GetBlobClient($"2026/12/02/{i:D3}.eml").UploadAsync(BinaryData.FromString("mail"), ct));

        using var log = new HostLog(new ConcurrentQueue<string>().Enqueue);
        var source = new BlobCreatedEventSource(azurite.ConnectionString, containerName, queueName, TimeSpan.FromSeconds(1), log);
        Assert.Equal(300, await source.ScanAsync()); // 0, 100, 200 queued before each group of 100; 300 >= 256
        Assert.Equal(0, await source.ScanAsync());

        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var firstIds = new HashSet<string>(StringComparer.Ordinal);
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                Assert.True(firstIds.Add((string)JsonNode.Parse(message.MessageText)!["subject"]!));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        Assert.Equal(50, await source.ScanAsync());
        var rest = (await queue.ReceiveMessagesAsync(32)).Value.Concat((await queue.ReceiveMessagesAsync(32)).Value)
            .Select(m => (string)JsonNode.Parse(m.MessageText)!["subject"]!).ToList();
        Assert.Equal(300, firstIds.Count);
        Assert.Equal(50, rest.Count);
        Assert.Empty(rest.Intersect(firstIds));
        Assert.Equal(350, source.Known);
    }
}
