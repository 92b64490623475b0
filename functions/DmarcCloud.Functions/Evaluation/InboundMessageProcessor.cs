using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Reporting.Failure;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Functions.ReportMail;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Functions.Evaluation;

/// <summary>
/// The work behind EvaluateMessage: decode the BlobCreated event, read the blob and its envelope, evaluate,
/// store the verdict, send the verdict message (and a failure-report request when asked for) to Service Bus.
/// Bad input is recorded in ProcessingErrors and acknowledged; transient faults ask for a redelivery
/// (docs/inbound.md, "Bad and faulty input"). Redelivery is idempotent: the same blob version has the same
/// message key, so it is one verdict row, and the Service Bus MessageId is the key (duplicate detection).
/// </summary>
public sealed partial class InboundMessageProcessor
{
    private readonly BlobServiceClient _blobs;
    private readonly IMessageEvaluator _evaluator;
    private readonly IVerdictStore _verdicts;
    private readonly TableProcessingErrorStore _errors;
    private readonly IServiceBusPublisher _publisher;
    private readonly TimeProvider _time;
    private readonly InboundOptions _options;
    private readonly ReportMailIntake _reportMail;
    private readonly ILogger<InboundMessageProcessor> _logger;

    /// <summary>Creates the processor.</summary>
    public InboundMessageProcessor(
        BlobServiceClient blobs,
        IMessageEvaluator evaluator,
        IVerdictStore verdicts,
        TableProcessingErrorStore errors,
        IServiceBusPublisher publisher,
        TimeProvider time,
        IOptions<InboundOptions> options,
        ReportMailIntake reportMail,
        ILogger<InboundMessageProcessor> logger)
    {
        _blobs = blobs;
        _evaluator = evaluator;
        _verdicts = verdicts;
        _errors = errors;
        _publisher = publisher;
        _time = time;
        _options = options.Value;
        _reportMail = reportMail;
        _logger = logger;
    }

    /// <summary>The message key of a blob version: the same blob (name and ETag) always gets the same key.</summary>
    public static string MessageKey(string container, string blobName, string etag)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{blobName}\n{etag.Trim('"')}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Processes one queue message body (an Event Grid BlobCreated event).</summary>
    public async Task<InboundOutcome> ProcessAsync(ReadOnlyMemory<byte> body, QueueDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var blobEvent = BlobCreatedEvent.TryParse(body.Span, out var eventError);
        var inputKey = delivery.MessageId ?? Convert.ToHexStringLower(SHA256.HashData(body.Span)[..16]);
        if (blobEvent is null)
        {
            var kind = eventError!.StartsWith("unexpected event type", StringComparison.Ordinal) ? ProcessingErrorKind.UnexpectedEvent : ProcessingErrorKind.MalformedEvent;
            return await RejectAsync(inputKey, null, kind, eventError, delivery, cancellationToken).ConfigureAwait(false);
        }

        if (!string.Equals(blobEvent.Container, _options.Container, StringComparison.Ordinal))
        {
            return await RejectAsync(inputKey, blobEvent.Path, ProcessingErrorKind.UnexpectedEvent,
                $"the blob is in container '{blobEvent.Container}', not '{_options.Container}'", delivery, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await EvaluateBlobAsync(blobEvent, inputKey, delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Storage, DNS, Service Bus or anything else that may pass: fail the invocation so the queue redelivers it.
            var reason = $"transient fault on delivery {delivery.DequeueCount}: {ex.GetType().Name}: {ex.Message}";
            LogTransient(_logger, blobEvent.Path, delivery.DequeueCount, ex);
            await RecordIfLastDeliveryAsync(inputKey, blobEvent.Path, reason, delivery, cancellationToken).ConfigureAwait(false);
            return new InboundOutcome(InboundOutcomeStatus.Retry, reason, Blob: blobEvent.Path);
        }
    }

    private async Task<InboundOutcome> EvaluateBlobAsync(BlobCreatedEvent blobEvent, string inputKey, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        // One GET: its response carries the version's ETag, length, metadata (the envelope) and creation time before
        // the body, so the checks below run before a byte of content is read, and the key is of the version read.
        var blob = _blobs.GetBlobContainerClient(blobEvent.Container).GetBlobClient(blobEvent.BlobName);
        BlobDownloadStreamingResult download;
        try
        {
            download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return await RejectAsync(inputKey, blobEvent.Path, ProcessingErrorKind.BlobNotFound,
                "the blob does not exist (deleted before it was read)", delivery, cancellationToken).ConfigureAwait(false);
        }

        byte[]? content;
        SmtpEnvelope? envelope;
        string messageKey;
        await using (download.Content.ConfigureAwait(false))
        {
            var details = download.Details;
            messageKey = MessageKey(blobEvent.Container, blobEvent.BlobName, details.ETag.ToString());
            if (details.ContentLength > _options.MaxMessageBytes)
            {
                // Disposing the unread stream drops the connection: the body is never transferred.
                return await RejectAsync(messageKey, blobEvent.Path, ProcessingErrorKind.TooLarge,
                    $"the message is {details.ContentLength} bytes, over the {_options.MaxMessageBytes}-byte limit", delivery, cancellationToken).ConfigureAwait(false);
            }

            envelope = InboundMetadata.TryParse(details.Metadata, details.CreatedOn, out var envelopeError);
            if (envelope is null)
            {
                return await RejectAsync(messageKey, blobEvent.Path, ProcessingErrorKind.BadEnvelope, envelopeError!, delivery, cancellationToken).ConfigureAwait(false);
            }

            content = await ReadAtMostAsync(download.Content, details.ContentLength, cancellationToken).ConfigureAwait(false);
        }

        if (content is null)
        {
            return await RejectAsync(messageKey, blobEvent.Path, ProcessingErrorKind.TooLarge,
                $"the message grew over the {_options.MaxMessageBytes}-byte limit while it was read", delivery, cancellationToken).ConfigureAwait(false);
        }

        var verdict = await _evaluator.EvaluateAsync(envelope, content, cancellationToken).ConfigureAwait(false);
        if (verdict.Result == DmarcResult.TempError && delivery.DequeueCount < _options.TempErrorDeliveries)
        {
            var reason = $"DMARC temperror on delivery {delivery.DequeueCount} of {_options.TempErrorDeliveries}: retrying before accepting it";
            return new InboundOutcome(InboundOutcomeStatus.Retry, reason, messageKey, blobEvent.Path, verdict);
        }

        await _verdicts.SaveAsync(messageKey, verdict, cancellationToken).ConfigureAwait(false);
        var triggers = FailureReportTriggers.Evaluate(verdict);
        await _publisher.SendAsync(ResourceNames.VerdictsQueue,
            [ServiceBusPublisher.CreateJsonMessage(VerdictMessage.From(messageKey, blobEvent.Path, verdict), FunctionsJsonContext.Default.VerdictMessage, messageKey)],
            cancellationToken).ConfigureAwait(false);
        if (FailureReportRequest.For(messageKey, blobEvent.Path, verdict, content) is { } failureReport)
        {
            // The request carries the whole verdict (docs/reporting.md); report mail itself never gets one (no loops).
            await _publisher.SendAsync(ResourceNames.FailureReportsQueue,
                [new ServiceBusMessage(BinaryData.FromString(failureReport.ToJson())) { MessageId = messageKey, ContentType = "application/json" }],
                cancellationToken).ConfigureAwait(false);
        }

        // Report mail (RCPT TO a report mailbox) goes to report ingest after its own evaluation: refused with the
        // reason recorded, or stored once (a redelivery finds the report's dedupe row and stores nothing again).
        ReportMailOutcome? reportMail = null;
        if (_reportMail.IsReportMail(envelope))
        {
            reportMail = await _reportMail.IngestAsync(blobEvent.Path, content, verdict, cancellationToken).ConfigureAwait(false);
        }

        var summary = $"dmarc={RfcName.Of(verdict.Result)} disposition={RfcName.Of(verdict.Disposition)} from={verdict.HeaderFrom ?? "-"} policy={verdict.Policy?.Domain ?? "-"}"
            + (reportMail is null ? string.Empty : $" report-mail={(reportMail.Accepted ? "accepted" : "refused")}: {reportMail.Summary}");
        return new InboundOutcome(InboundOutcomeStatus.Evaluated, summary, messageKey, blobEvent.Path, verdict, triggers, reportMail);
    }

    /// <summary>Reads the body, at most <see cref="InboundOptions.MaxMessageBytes"/>; null when it is longer.</summary>
    private async Task<byte[]?> ReadAtMostAsync(Stream stream, long announcedLength, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)Math.Clamp(announcedLength, 0, _options.MaxMessageBytes));
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxMessageBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    private async Task<InboundOutcome> RejectAsync(string key, string? blob, ProcessingErrorKind kind, string reason, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var error = new ProcessingError(key, kind, reason, _time.GetUtcNow(), blob, delivery.MessageId, delivery.DequeueCount);
        try
        {
            await _errors.RecordAsync(error, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // Storage is down: the record would be lost if we acknowledged now, so ask for a redelivery.
            return new InboundOutcome(InboundOutcomeStatus.Retry, $"{kind}: {reason}; recording it failed: {ex.Message}", Blob: blob);
        }

        return new InboundOutcome(InboundOutcomeStatus.Rejected, $"{kind}: {reason}", Blob: blob);
    }

    private async Task RecordIfLastDeliveryAsync(string key, string blob, string reason, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.DequeueCount < _options.MaxDequeueCount)
        {
            return;
        }

        var error = new ProcessingError(key, ProcessingErrorKind.DeliveryLimitReached,
            $"moved to queue {ResourceNames.InboundEventsPoisonQueue} after {delivery.DequeueCount} attempts; last fault: {reason}", _time.GetUtcNow(), blob, delivery.MessageId, delivery.DequeueCount);
        try
        {
            await _errors.RecordAsync(error, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // The poison queue still holds the message; only this record is lost.
            LogRecordFailed(_logger, blob, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient fault on {Blob}, delivery {DeliveryCount}")]
    private static partial void LogTransient(ILogger logger, string blob, long deliveryCount, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the poisoning of {Blob}")]
    private static partial void LogRecordFailed(ILogger logger, string blob, Exception exception);
}
