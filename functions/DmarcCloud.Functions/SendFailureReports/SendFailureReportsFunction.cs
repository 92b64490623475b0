using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Reporting.Failure;
using DmarcCloud.Functions.Reporting;
using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.Functions.SendFailureReports;

/// <summary>
/// SendFailureReports (timer <c>%FailureReportsDrainSchedule%</c>, every minute in Azure): drains Service Bus
/// <c>failure-reports</c> through <see cref="FailureReportHandler"/>, then sends the Incidents summaries of finished
/// aggregation windows (<see cref="FailureReportProcessor.FlushAsync"/>). Docs: docs/reporting.md (failure reports).
/// </summary>
public sealed partial class SendFailureReportsFunction(ReportingAvailability availability, ServiceBusDrain drain, IServiceProvider services, ILogger<SendFailureReportsFunction> logger)
{
    public const string Name = "SendFailureReports";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + AppSettingNames.FailureReportsDrainSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (!availability.Configured)
        {
            return;
        }

        await drain.DrainAsync(services.GetRequiredService<FailureReportHandler>(), cancellationToken).ConfigureAwait(false);
        foreach (var summary in await services.GetRequiredService<FailureReportProcessor>().FlushAsync(cancellationToken).ConfigureAwait(false))
        {
            LogSummary(logger, summary.Destination, summary.Status, summary.Detail ?? string.Empty);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "failure report incidents summary → {Destination}: {Status} {Detail}")]
    private static partial void LogSummary(ILogger logger, string destination, Azure.Reporting.ReportDeliveryStatus status, string detail);
}
