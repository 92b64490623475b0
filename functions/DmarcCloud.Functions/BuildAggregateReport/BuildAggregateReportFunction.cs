using DmarcCloud.Azure.Messaging;
using DmarcCloud.Functions.Reporting;
using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.Functions.BuildAggregateReport;

/// <summary>
/// BuildAggregateReport (timer <c>%AggregateJobsDrainSchedule%</c>, every minute in Azure): drains Service Bus
/// <c>aggregate-jobs</c> through <see cref="AggregateJobHandler"/> — builds and stores the report part(s) of one policy
/// domain and day, and sends one <c>outbound-reports</c> message per (part, verified destination).
/// </summary>
public sealed class BuildAggregateReportFunction(ReportingAvailability availability, ServiceBusDrain drain, IServiceProvider services)
{
    public const string Name = "BuildAggregateReport";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + AppSettingNames.AggregateJobsDrainSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (availability.Configured)
        {
            await drain.DrainAsync(services.GetRequiredService<AggregateJobHandler>(), cancellationToken).ConfigureAwait(false);
        }
    }
}
