using System.Text.Json.Nodes;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>Bad input is recorded with its reason and acknowledged, never retried or dead-lettered (docs/inbound.md).</summary>
[Collection(EndToEndCollection.Name)]
public class MalformedInputEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_garbage_event_a_garbage_message_and_an_event_for_a_missing_blob_are_recorded_and_acknowledged()
    {
        await using var pipeline = await PipelineHarness.StartAsync(azurite, emulateBlobEvents: false);

        // 1. An event body that is not an Event Grid event at all.
        await pipeline.SendAsync(PipelineHarness.InboundQueue, LocalServiceBusEnvelope.FromText("{not json at all", messageId: "garbage-event-1"));

        // 2. A "message" of random bytes with a valid envelope.
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        var garbage = await pipeline.SubmitAsync("garbage.eml", BinaryData.FromBytes(bytes), SampleMessage.ReadManifest()[0].Envelope);
        await pipeline.SendAsync(PipelineHarness.InboundQueue, BlobCreatedEvent.ToServiceBusMessage(await PipelineHarness.BlobCreatedAsync(garbage)));

        // 3. An event for a blob deleted before it was read.
        var gone = await pipeline.SubmitAsync("gone.eml", BinaryData.FromString("From: a@sender.example\r\n\r\nhi\r\n"), SampleMessage.ReadManifest()[0].Envelope);
        var goneEvent = await PipelineHarness.BlobCreatedAsync(gone);
        await gone.DeleteAsync();
        await pipeline.SendAsync(PipelineHarness.InboundQueue, BlobCreatedEvent.ToServiceBusMessage(goneEvent));

        await pipeline.WaitUntilAsync(
            async () => (await pipeline.RowsAsync(PipelineHarness.ErrorsTable)).Count >= 2 && (await pipeline.RowsAsync(PipelineHarness.VerdictsTable)).Count >= 1,
            "two ProcessingErrors rows and one verdict row");
        await pipeline.WaitIdleAsync("the inbound queue to drain");

        // Acknowledged: each delivered once, answered 2xx, nothing left or dead-lettered.
        Assert.Equal(3, pipeline.Host.Invoker.Succeeded);
        Assert.Equal(0, pipeline.Host.Invoker.Failed);
        Assert.Equal(0, await pipeline.CountAsync(PipelineHarness.InboundQueue));
        Assert.Equal(0, await pipeline.CountAsync(LocalServiceBusEnvelope.DeadLetterQueueName(PipelineHarness.InboundQueue)));

        var errors = await pipeline.RowsAsync(PipelineHarness.ErrorsTable);
        Assert.Equal(2, errors.Count);
        var malformed = Assert.Single(errors, e => e.GetString("Kind") == "MalformedEvent");
        Assert.Equal("garbage-event-1", malformed.GetString("MessageId"));
        Assert.False(string.IsNullOrWhiteSpace(malformed.GetString("Reason")));
        var notFound = Assert.Single(errors, e => e.GetString("Kind") == "BlobNotFound");
        Assert.EndsWith(gone.Name, notFound.GetString("Blob"), StringComparison.Ordinal);
        Assert.Contains("does not exist", notFound.GetString("Reason"), StringComparison.Ordinal);

        // The garbage bytes still get a verdict, with the reason it could not pass.
        var verdict = Assert.Single(await pipeline.RowsAsync(PipelineHarness.VerdictsTable));
        Assert.Equal("PermError", verdict.GetString("Result"));
        Assert.False(string.IsNullOrWhiteSpace(verdict.GetString("HeaderFromProblem")), "the verdict records why the From could not be read");
        var message = JsonNode.Parse(Assert.Single(await pipeline.PeekAllAsync(PipelineHarness.VerdictsQueue)).BodyText)!;
        Assert.Equal("permerror", message["dmarc"]!.GetValue<string>());
        Assert.Equal(verdict.RowKey, message["messageKey"]!.GetValue<string>());
    }
}
