using System.Text;
using DmarcCloud.Azure;
using DmarcCloud.Functions.Evaluation;
using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.Functions.EvaluateMessage;

/// <summary>
/// EvaluateMessage: Storage queue <c>inbound-events</c> (Event Grid BlobCreated for container <c>inbound</c>) →
/// verdict row, verdict message on <c>verdicts</c>, failure-report request on <c>failure-reports</c>. A transient
/// fault throws, so the queue redelivers; after <c>maxDequeueCount</c> attempts the message is in
/// <c>inbound-events-poison</c> and the fault in ProcessingErrors.
/// </summary>
internal sealed partial class EvaluateMessageFunction(InboundMessageProcessor processor, ILogger<EvaluateMessageFunction> logger)
{
    public const string Name = "EvaluateMessage";

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(ResourceNames.InboundEventsQueue, Connection = ResourceNames.StorageConnection)] string message,
        FunctionContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var delivery = QueueDelivery.From(context.BindingContext.BindingData);
        var outcome = await processor.ProcessAsync(Encoding.UTF8.GetBytes(message ?? string.Empty), delivery, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == InboundOutcomeStatus.Retry)
        {
            throw new RedeliveryRequestedException(outcome.Reason);
        }

        LogOutcome(logger, outcome.Blob ?? "?", outcome.MessageKey ?? "no key", outcome.Status, outcome.Reason);
    }

    /// <summary>The one log line per message: evaluated with its verdict summary, or rejected with the recorded reason.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "{Blob} ({MessageKey}) {Status}: {Reason}")]
    private static partial void LogOutcome(ILogger logger, string blob, string messageKey, InboundOutcomeStatus status, string reason);
}
