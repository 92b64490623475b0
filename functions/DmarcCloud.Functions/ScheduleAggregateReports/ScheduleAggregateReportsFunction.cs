using DmarcCloud.Functions.Reporting;
using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.Functions.ScheduleAggregateReports;

/// <summary>
/// ScheduleAggregateReports (timer <c>%AggregateReportSchedule%</c>, 00:00 UTC in Azure): one message on
/// <c>aggregate-jobs</c> per (finished day, policy domain) not scheduled before; missed days are caught up.
/// </summary>
public sealed class ScheduleAggregateReportsFunction(ReportingAvailability availability, IServiceProvider services)
{
    public const string Name = "ScheduleAggregateReports";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + AppSettingNames.AggregateReportSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (availability.Configured)
        {
            await services.GetRequiredService<AggregateJobScheduling>().ScheduleAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
