using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalHost.Azurite;
using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// A storage outage seen by the handler only: its Blob and Table endpoints go through <see cref="SwitchableTcpProxy"/>
/// (the runner keeps talking to Azurite directly). While the proxy is off the handler answers non-2xx and the
/// runner redelivers; once it is back on the message is evaluated and stored exactly once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class TransientStorageFaultEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_storage_outage_makes_the_message_redelivered_until_storage_is_back_then_it_is_stored_once()
    {
        await using var blobProxy = new SwitchableTcpProxy(azurite.Azurite.BlobPort, enabled: false);
        await using var tableProxy = new SwitchableTcpProxy(azurite.Azurite.TablePort, enabled: false);
        var handlerStorage = AzuriteProcess.BuildConnectionString(blobProxy.Port, azurite.Azurite.QueuePort, tableProxy.Port);
        await using var pipeline = await PipelineHarness.StartAsync(azurite, emulateBlobEvents: false, handlerStorage);
        var sample = SampleMessage.ReadManifest()[0];
        var blob = await pipeline.SubmitAsync(sample.File, sample.Content, sample.Envelope);

        await pipeline.SendAsync(PipelineHarness.InboundQueue, BlobCreatedEvent.ToServiceBusMessage(await PipelineHarness.BlobCreatedAsync(blob)));
        await pipeline.WaitUntilAsync(() => Task.FromResult(pipeline.Host.Invoker.Failed >= 2), "two failed deliveries while storage is down");

        Assert.Equal(0, pipeline.Host.Invoker.Succeeded);
        Assert.True(blobProxy.Refused > 0, "the handler tried to reach blob storage");
        Assert.Empty(await pipeline.RowsAsync(PipelineHarness.VerdictsTable));
        Assert.Contains(pipeline.Log, l => l.Contains("HTTP 503", StringComparison.Ordinal) && l.Contains("transient fault on delivery 1", StringComparison.Ordinal));
        Assert.Contains(pipeline.Log, l => l.Contains("transient fault on delivery 2", StringComparison.Ordinal));

        blobProxy.Enabled = true;
        tableProxy.Enabled = true;
        await pipeline.WaitUntilAsync(async () => (await pipeline.RowsAsync(PipelineHarness.VerdictsTable)).Count >= 1, "the verdict row once storage is back");
        await pipeline.WaitIdleAsync("the inbound queue to drain");

        var row = Assert.Single(await pipeline.RowsAsync(PipelineHarness.VerdictsTable));
        Assert.Equal("Pass", row.GetString("Result"));
        Assert.Equal(1, pipeline.Host.Invoker.Succeeded);
        Assert.True(pipeline.Host.Invoker.Failed >= 2, $"{pipeline.Host.Invoker.Failed} failed deliveries");
        Assert.Single(await pipeline.PeekAllAsync(PipelineHarness.VerdictsQueue));
        Assert.Equal(0, await pipeline.CountAsync(LocalServiceBusEnvelope.DeadLetterQueueName(PipelineHarness.InboundQueue)));
        Assert.Empty(await pipeline.RowsAsync(PipelineHarness.ErrorsTable));
    }
}
