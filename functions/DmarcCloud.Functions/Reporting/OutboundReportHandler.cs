using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Functions.Reporting;

/// <summary>
/// One <c>outbound-reports</c> message: send the report part to its destination once (ReportDispatcher keeps the
/// ledger). A report sent before completes without sending; a permanent SMTP refusal is dead-lettered at once with
/// the reply; a claim held elsewhere or a transient SMTP failure (thrown) is retried.
/// </summary>
internal sealed class OutboundReportHandler(ReportDispatcher dispatcher) : IServiceBusMessageHandler
{
    public string QueueName => ResourceNames.OutboundReportsQueue;

    /// <summary>The Service Bus MessageId of one send: report id and destination.</summary>
    public static string MessageId(OutboundReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var id = $"{report.ReportId}|{report.Destination}";
        return id.Length <= 128 ? id : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));
    }

    public async Task<ServiceBusMessageOutcome> HandleAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ReportingMessages.Read(message.Body, ReportingJsonContext.Default.OutboundReport) is not OutboundReport report)
        {
            return ServiceBusMessageOutcome.DeadLetter("NotAnOutboundReport", "the message body is not an outbound report");
        }

        var result = await dispatcher.SendAsync(report, cancellationToken).ConfigureAwait(false);
        var what = $"{report.ReportId} → {report.Destination}";
        return result.Outcome switch
        {
            ReportDispatchOutcome.Sent => ServiceBusMessageOutcome.Completed($"{what}: sent ({result.Detail})"),
            ReportDispatchOutcome.AlreadySent => ServiceBusMessageOutcome.Completed($"{what}: already sent, nothing to do"),
            ReportDispatchOutcome.InProgressElsewhere => ServiceBusMessageOutcome.Retry($"{what}: another sender holds the claim"),
            _ => ServiceBusMessageOutcome.DeadLetter("ReportRefused", $"{what} refused permanently: {result.Detail}"),
        };
    }
}
