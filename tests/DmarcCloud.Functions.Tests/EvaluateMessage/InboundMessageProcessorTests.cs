using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Testing;

namespace DmarcCloud.Functions.Tests.EvaluateMessage;

/// <summary>
/// The work behind EvaluateMessage through the app's real DI registrations, on Azurite. The evaluator is scripted
/// here: these tests cover decoding, outputs, storage, idempotency and error paths, not evaluation.
/// </summary>
public class InboundMessageProcessorTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly SmtpEnvelope Envelope = new(IPAddress.Parse("192.0.2.10"), "mx.example.com", "bounce@example.com",
        ["user@receiver.example"], new DateTimeOffset(2026, 11, 22, 15, 4, 5, TimeSpan.Zero));

    private static readonly byte[] Message = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n");

    [Fact]
    public async Task An_event_is_evaluated_stored_once_and_sent_to_verdicts_and_failure_reports_keyed_by_message()
    {
        await UploadAsync("processor/msg-0001.eml", Message, Envelope);
        var publisher = new RecordingPublisher();
        var evaluator = new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope));
        await using var app = AppServices.Build(azurite.ConnectionString, publisher, evaluator);

        var outcome = await Processor(app).ProcessAsync(InboundEvents.BlobCreated("processor/msg-0001.eml"), new QueueDelivery("q-1", 1));

        Assert.Equal(InboundOutcomeStatus.Evaluated, outcome.Status);
        var sent = Assert.Single(publisher.On(ResourceNames.VerdictsQueue));
        Assert.Equal(outcome.MessageKey, sent.MessageId);
        Assert.Equal("application/json", sent.ContentType);
        var verdict = JsonDocument.Parse(sent.Body.ToString()).RootElement;
        Assert.Equal("fail", verdict.GetProperty("dmarc").GetString());
        Assert.Equal("reject", verdict.GetProperty("disposition").GetString());
        Assert.Equal("example.com", verdict.GetProperty("policyDomain").GetString());
        Assert.Equal("inbound/processor/msg-0001.eml", verdict.GetProperty("blob").GetString());
        Assert.Equal(["user@receiver.example"], verdict.GetProperty("rcptTo").EnumerateArray().Select(e => e.GetString()));
        var request = Assert.Single(publisher.On(ResourceNames.FailureReportsQueue));
        Assert.Equal(outcome.MessageKey, request.MessageId);
        var report = JsonDocument.Parse(request.Body.ToString()).RootElement;
        Assert.Equal(["1"], report.GetProperty("fo").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("mailto:ruf@example.com", report.GetProperty("ruf")[0].GetString());
        Assert.Single(await VerdictRowsAsync(outcome.MessageKey!));
    }

    [Fact]
    public async Task A_redelivered_event_is_one_row_and_the_same_message_id_every_time()
    {
        await UploadAsync("processor/redelivered.eml", Message, Envelope);
        var publisher = new RecordingPublisher();
        await using var app = AppServices.Build(azurite.ConnectionString, publisher, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));
        var body = InboundEvents.BlobCreated("processor/redelivered.eml");

        for (var dequeue = 1; dequeue <= 3; dequeue++)
        {
            Assert.Equal(InboundOutcomeStatus.Evaluated, (await Processor(app).ProcessAsync(body, new QueueDelivery("q-re", dequeue))).Status);
        }

        var ids = publisher.On(ResourceNames.VerdictsQueue).Select(m => m.MessageId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Single(ids.Distinct());
        Assert.Single(await VerdictRowsAsync(ids[0]));
    }

    public static TheoryData<string, byte[], string?, ProcessingErrorKind, string> BadInputs() => new()
    {
        { "not JSON", Encoding.UTF8.GetBytes("not json"), null, ProcessingErrorKind.MalformedEvent, "the message body is not JSON" },
        { "empty", [], null, ProcessingErrorKind.MalformedEvent, "the message body is empty" },
        { "invalid UTF-8", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D], null, ProcessingErrorKind.MalformedEvent, "it is not valid UTF-8" },
        {
            "lone surrogate",
            Encoding.UTF8.GetBytes("{\"id\":\"1\",\"subject\":\"/blobServices/default/containers/inbound/blobs/\\ud800.eml\",\"eventType\":\"Microsoft.Storage.BlobCreated\",\"dataVersion\":\"\",\"eventTime\":\"2026-11-22T15:04:05Z\",\"data\":{}}"),
            null, ProcessingErrorKind.MalformedEvent, "the message body is not"
        },
        { "missing event fields", Encoding.UTF8.GetBytes("{\"eventType\":\"Microsoft.Storage.BlobCreated\"}"), null, ProcessingErrorKind.MalformedEvent, "not an Event Grid event" },
        {
            "other event type",
            Encoding.UTF8.GetBytes("{\"id\":\"1\",\"eventType\":\"Microsoft.Storage.BlobDeleted\",\"subject\":\"/blobServices/default/containers/inbound/blobs/x.eml\",\"dataVersion\":\"\",\"eventTime\":\"2026-11-22T15:04:05Z\",\"data\":{}}"),
            null, ProcessingErrorKind.UnexpectedEvent, "unexpected event type"
        },
        { "other container", InboundEvents.BlobCreated("x.eml", "elsewhere"), null, ProcessingErrorKind.UnexpectedEvent, "the blob is in container 'elsewhere'" },
        { "deleted blob", InboundEvents.BlobCreated("processor/deleted.eml"), null, ProcessingErrorKind.BlobNotFound, "the blob does not exist" },
        { "no envelope", InboundEvents.BlobCreated("processor/no-envelope.eml"), "upload-without-envelope", ProcessingErrorKind.BadEnvelope, "blob metadata 'clientip' is missing" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_recorded_with_its_reason_and_completed_never_retried(string what, byte[] body, string? setup, ProcessingErrorKind kind, string reason)
    {
        if (setup == "upload-without-envelope")
        {
            var container = new BlobContainerClient(azurite.ConnectionString, ResourceNames.InboundContainer);
            await container.CreateIfNotExistsAsync();
            await container.GetBlobClient("processor/no-envelope.eml").UploadAsync(BinaryData.FromBytes(Message), overwrite: true);
        }

        var publisher = new RecordingPublisher();
        var evaluator = new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope));
        await using var app = AppServices.Build(azurite.ConnectionString, publisher, evaluator);
        var queueMessageId = "bad-" + Guid.NewGuid().ToString("N");

        var outcome = await Processor(app).ProcessAsync(body, new QueueDelivery(queueMessageId, 1));

        Assert.True(outcome.Status == InboundOutcomeStatus.Rejected, $"{what}: {outcome.Status} {outcome.Reason}");
        Assert.Empty(publisher.On(ResourceNames.VerdictsQueue));
        Assert.Equal(0, evaluator.Calls);
        var error = Assert.Single(await ErrorsAsync(), e => e.MessageId == queueMessageId);
        Assert.Equal(kind, error.Kind);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_50_MB_message_is_recorded_as_too_large_without_being_read()
    {
        var big = new byte[50 * 1024 * 1024];
        Message.CopyTo(big, 0);
        await UploadAsync("processor/50mb.eml", big, Envelope);
        var evaluator = new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope));
        await using var app = AppServices.Build(azurite.ConnectionString, new RecordingPublisher(), evaluator);

        var outcome = await Processor(app).ProcessAsync(InboundEvents.BlobCreated("processor/50mb.eml"), new QueueDelivery("q-big", 1));

        Assert.Equal(InboundOutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(0, evaluator.Calls);
        var error = Assert.Single(await ErrorsAsync(), e => e.MessageId == "q-big");
        Assert.Equal(ProcessingErrorKind.TooLarge, error.Kind);
        Assert.Equal("the message is 52428800 bytes, over the 26214400-byte limit", error.Reason);
    }

    [Fact]
    public async Task A_dmarc_temperror_is_retried_then_accepted_on_the_configured_dequeue()
    {
        await UploadAsync("processor/temperror.eml", Message, Envelope);
        var publisher = new RecordingPublisher();
        await using var app = AppServices.Build(azurite.ConnectionString, publisher, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.TempError(envelope)));
        var body = InboundEvents.BlobCreated("processor/temperror.eml");

        var first = await Processor(app).ProcessAsync(body, new QueueDelivery("q-temp", 1));
        Assert.Equal(InboundOutcomeStatus.Retry, first.Status);
        Assert.Contains("DMARC temperror on delivery 1 of 3", first.Reason, StringComparison.Ordinal);
        Assert.Empty(publisher.On(ResourceNames.VerdictsQueue));

        var third = await Processor(app).ProcessAsync(body, new QueueDelivery("q-temp", 3));
        Assert.Equal(InboundOutcomeStatus.Evaluated, third.Status);
        var verdict = JsonDocument.Parse(Assert.Single(publisher.On(ResourceNames.VerdictsQueue)).Body.ToString()).RootElement;
        Assert.Equal("temperror", verdict.GetProperty("dmarc").GetString());
        Assert.Single(await VerdictRowsAsync(third.MessageKey!));
    }

    [Fact]
    public async Task Service_bus_down_after_the_row_is_written_retries_and_the_retry_is_still_one_row_and_one_message_id()
    {
        await UploadAsync("processor/sb-down.eml", Message, Envelope);
        var publisher = new RecordingPublisher { FailNext = 1 };
        await using var app = AppServices.Build(azurite.ConnectionString, publisher, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));
        var body = InboundEvents.BlobCreated("processor/sb-down.eml");

        var first = await Processor(app).ProcessAsync(body, new QueueDelivery("q-sb", 1));
        Assert.Equal(InboundOutcomeStatus.Retry, first.Status);
        Assert.Contains("ServiceBusException", first.Reason, StringComparison.Ordinal);

        var second = await Processor(app).ProcessAsync(body, new QueueDelivery("q-sb", 2));
        Assert.Equal(InboundOutcomeStatus.Evaluated, second.Status);
        Assert.Equal(second.MessageKey, Assert.Single(publisher.On(ResourceNames.VerdictsQueue)).MessageId);
        Assert.Single(await VerdictRowsAsync(second.MessageKey!));
    }

    [Fact]
    public async Task Storage_down_asks_for_a_retry_and_the_last_dequeue_records_the_reason_before_the_poison_queue()
    {
        // Blob endpoint on a port nothing listens on; tables on Azurite so the reason can be recorded.
        var broken = StorageEndpoints.With(azurite.ConnectionString, blobPort: StorageEndpoints.ClosedPort(), queuePort: StorageEndpoints.ClosedPort(), tablePort: null);
        await using var app = AppServices.Build(broken, new RecordingPublisher(), new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)),
            new Dictionary<string, string?> { ["Inbound:MaxDequeueCount"] = "2", ["Inbound:TempErrorDeliveries"] = "2" });
        var body = InboundEvents.BlobCreated("processor/down.eml");
        var id = "q-down-" + Guid.NewGuid().ToString("N");

        var first = await Processor(app).ProcessAsync(body, new QueueDelivery(id, 1));
        Assert.Equal(InboundOutcomeStatus.Retry, first.Status);
        Assert.Contains("transient fault on delivery 1", first.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await ErrorsAsync(), e => e.MessageId == id);

        var last = await Processor(app).ProcessAsync(body, new QueueDelivery(id, 2));
        Assert.Equal(InboundOutcomeStatus.Retry, last.Status);
        var error = Assert.Single(await ErrorsAsync(), e => e.MessageId == id);
        Assert.Equal(ProcessingErrorKind.DeliveryLimitReached, error.Kind);
        Assert.StartsWith("moved to queue inbound-events-poison after 2 attempts; last fault: transient fault on delivery 2", error.Reason, StringComparison.Ordinal);
    }

    private static InboundMessageProcessor Processor(IServiceProvider app) => app.GetRequiredService<InboundMessageProcessor>();

    private async Task UploadAsync(string name, byte[] content, SmtpEnvelope envelope)
    {
        var container = new BlobContainerClient(azurite.ConnectionString, ResourceNames.InboundContainer);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        await blob.SetMetadataAsync(InboundMetadata.ToMetadata(envelope));
    }

    private async Task<List<TableEntity>> VerdictRowsAsync(string messageKey)
    {
        var table = new TableClient(azurite.ConnectionString, ResourceNames.VerdictsTable);
        return await table.QueryAsync<TableEntity>(e => e.RowKey == messageKey).ToListAsync();
    }

    private async Task<List<ProcessingError>> ErrorsAsync()
    {
        var store = new TableProcessingErrorStore(new TableServiceClient(azurite.ConnectionString));
        return await store.ListAsync(DateOnly.FromDateTime(DateTime.UtcNow)).ToListAsync();
    }
}
