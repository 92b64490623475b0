using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Azure.Reporting.Failure;

namespace DmarcCloud.Functions.Reporting;

/// <summary>
/// One <c>failure-reports</c> message: <see cref="FailureReportProcessor"/> decides and sends per <c>ruf</c>
/// destination, once (ledger). Every outcome is logged (sent, aggregated, suppressed with the limit, refused with the
/// verification lookup). An unusable request or a permanent SMTP refusal is dead-lettered with the reason; a DNS
/// failure during destination verification, a claim held elsewhere or a transient SMTP failure is retried.
/// </summary>
internal sealed partial class FailureReportHandler(FailureReportProcessor processor, ILogger<FailureReportHandler> logger) : IServiceBusMessageHandler
{
    public string QueueName => ResourceNames.FailureReportsQueue;

    public async Task<ServiceBusMessageOutcome> HandleAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        FailureReportProcessResult result;
        try
        {
            result = await processor.ProcessAsync(message.Body.ToMemory(), cancellationToken).ConfigureAwait(false);
        }
        catch (DestinationCheckDeferredException ex)
        {
            return ServiceBusMessageOutcome.Retry(ex.Message);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("holds the claim", StringComparison.Ordinal))
        {
            return ServiceBusMessageOutcome.Retry(ex.Message);
        }

        foreach (var delivery in result.Deliveries)
        {
            LogDelivery(logger, message.MessageId, delivery.Destination, delivery.Status, delivery.Repeated, delivery.Detail ?? string.Empty);
        }

        return result.DeadLetter
            ? ServiceBusMessageOutcome.DeadLetter(result.Deliveries.Count == 0 ? "NotAFailureReportRequest" : "FailureReportRefused", result.Summary)
            : ServiceBusMessageOutcome.Completed(result.Summary);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "failure report {RequestId} → {Destination}: {Status} (earlier delivery: {Repeated}) {Detail}")]
    private static partial void LogDelivery(ILogger logger, string requestId, string destination, ReportDeliveryStatus status, bool repeated, string detail);
}
