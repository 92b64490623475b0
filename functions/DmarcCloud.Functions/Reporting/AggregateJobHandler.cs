using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Functions.Reporting;

/// <summary>
/// One <c>aggregate-jobs</c> message: build and store the report part(s), send one <c>outbound-reports</c> message per
/// (part, destination). Not a job → dead-lettered at once; a destination check deferred by DNS → retried.
/// Redelivery is safe: the sends carry MessageId = report id + destination, and SendReport sends each once (ledger).
/// </summary>
internal sealed class AggregateJobHandler(AggregateReportJobProcessor processor, IServiceBusPublisher publisher) : IServiceBusMessageHandler
{
    public string QueueName => ResourceNames.AggregateJobsQueue;

    public async Task<ServiceBusMessageOutcome> HandleAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ReportingMessages.Read(message.Body, ReportingJsonContext.Default.AggregateReportJob) is not AggregateReportJob job)
        {
            return ServiceBusMessageOutcome.DeadLetter("NotAnAggregateReportJob", "the message body is not an aggregate report job ({\"day\":\"yyyy-MM-dd\",\"policyDomain\":...})");
        }

        try
        {
            var built = await processor.BuildAsync(job, cancellationToken).ConfigureAwait(false);
            await publisher.SendAsync(ResourceNames.OutboundReportsQueue,
                [.. built.Outbound.Select(o => ServiceBusPublisher.CreateJsonMessage(o, ReportingJsonContext.Default.OutboundReport, OutboundReportHandler.MessageId(o)))],
                cancellationToken).ConfigureAwait(false);
            return ServiceBusMessageOutcome.Completed(
                $"{job.Day:yyyy-MM-dd}/{job.PolicyDomain}: {built.Files.Count} part(s), {built.Outbound.Count} send(s), {built.Refused.Count} refused destination record(s)");
        }
        catch (DestinationCheckDeferredException ex)
        {
            return ServiceBusMessageOutcome.Retry(ex.Message);
        }
    }
}
