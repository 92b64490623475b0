using System.Text.Json;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Functions.Invocation;
using DmarcCloud.Functions.Reporting;

namespace DmarcCloud.Functions.ScheduleAggregateReports;

/// <summary>
/// ScheduleAggregateReports (timer <c>%AggregateReportSchedule%</c>, default 00:00 UTC): one message on
/// <c>aggregate-jobs</c> per (finished day, policy domain) not scheduled before; missed days are caught up.
/// </summary>
internal sealed class ScheduleAggregateReportsFunction(ReportingAvailability availability, IServiceProvider services) : IFunction
{
    public static string Name => "ScheduleAggregateReports";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        if (!availability.Configured)
        {
            return InvocationResult.Failed(StatusCodes.Status503ServiceUnavailable, ReportingAvailability.NotConfigured);
        }

        var scheduler = services.GetRequiredService<AggregateReportScheduler>();
        var jobs = await scheduler.ScheduleAsync(cancellationToken).ConfigureAwait(false);
        return new InvocationResult()
            .Log($"{jobs.Count} aggregate report job(s) scheduled: {string.Join(", ", jobs.Select(j => $"{j.Day:yyyy-MM-dd}/{j.PolicyDomain}"))}")
            .SetMessages("aggregateJobs", jobs.Select(j => JsonSerializer.Serialize(j, ReportingJsonContext.Default.AggregateReportJob)));
    }
}
