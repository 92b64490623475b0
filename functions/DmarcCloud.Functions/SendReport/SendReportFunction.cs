using DmarcCloud.Azure.Messaging;
using DmarcCloud.Functions.Reporting;
using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.Functions.SendReport;

/// <summary>
/// SendReport (timer <c>%OutboundReportsDrainSchedule%</c>, every minute in Azure): drains Service Bus
/// <c>outbound-reports</c> through <see cref="OutboundReportHandler"/> — sends one report part to one destination,
/// once; a permanent SMTP refusal is dead-lettered at once with the reply.
/// </summary>
public sealed class SendReportFunction(ReportingAvailability availability, ServiceBusDrain drain, IServiceProvider services)
{
    public const string Name = "SendReport";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + AppSettingNames.OutboundReportsDrainSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (availability.Configured)
        {
            await drain.DrainAsync(services.GetRequiredService<OutboundReportHandler>(), cancellationToken).ConfigureAwait(false);
        }
    }
}
