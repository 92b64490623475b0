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
/// <remarks>
/// Public on purpose: the Worker SDK's generated <c>DirectFunctionExecutor</c> calls a function directly only when
/// its class is public; for an internal class it builds a new <c>DefaultFunctionExecutor</c> per invocation, which
/// compiles a new invoker expression every time (measured: one JIT-compiled lambda per message, about a third of the
/// worker's CPU on the hot path). <c>FunctionClassVisibilityTests</c> keeps it so.
/// </remarks>
public sealed partial class EvaluateMessageFunction(InboundMessageProcessor processor, ILogger<EvaluateMessageFunction> logger)
{
    /// <summary>The function name.</summary>
    public const string Name = "EvaluateMessage";

    /// <summary>Evaluates one BlobCreated event from <c>inbound-events</c>; throws to have the queue redeliver it.</summary>
    /// <param name="message">The event (plain JSON text).</param>
    /// <param name="context">The invocation (Id and DequeueCount of the queue message).</param>
    /// <param name="cancellationToken">Cancelled when the host cancels the invocation.</param>
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
