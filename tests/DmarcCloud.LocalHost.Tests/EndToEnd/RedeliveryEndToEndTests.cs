using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>At-least-once delivery: the same BlobCreated event twice must be counted once (docs/storage.md).</summary>
[Collection(EndToEndCollection.Name)]
public class RedeliveryEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_same_blob_created_event_delivered_twice_leaves_exactly_one_verdict_row()
    {
        await using var pipeline = await PipelineHarness.StartAsync(azurite, emulateBlobEvents: false);
        var sample = SampleMessage.ReadManifest()[0];
        var blob = await pipeline.SubmitAsync(sample.File, sample.Content, sample.Envelope);
        var blobEvent = await PipelineHarness.BlobCreatedAsync(blob);

        await pipeline.SendAsync(PipelineHarness.InboundQueue, BlobCreatedEvent.ToServiceBusMessage(blobEvent));
        await pipeline.SendAsync(PipelineHarness.InboundQueue, BlobCreatedEvent.ToServiceBusMessage(blobEvent));
        await pipeline.WaitUntilAsync(
            async () => pipeline.Host.Invoker.Succeeded >= 2 && await pipeline.CountAsync(PipelineHarness.VerdictsQueue) >= 2,
            "both deliveries to be evaluated");
        await pipeline.WaitIdleAsync("the inbound queue to drain");

        var row = Assert.Single(await pipeline.RowsAsync(PipelineHarness.VerdictsTable));
        Assert.Equal(2, pipeline.Host.Invoker.Succeeded);
        Assert.Equal(0, pipeline.Host.Invoker.Failed);

        // Both deliveries announced the same verdict (the add-on may see it twice) under the same key.
        var messages = await pipeline.PeekAllAsync(PipelineHarness.VerdictsQueue);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Contains($"\"messageKey\":\"{row.RowKey}\"", m.BodyText, StringComparison.Ordinal));
        Assert.Empty(await pipeline.RowsAsync(PipelineHarness.ErrorsTable));
    }
}
