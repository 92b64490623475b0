using DmarcCloud.Azure;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Functions.Reporting;

/// <summary>
/// Schedules the due aggregate report jobs, sends one <c>aggregate-jobs</c> message per job, then marks them queued
/// (a run that fails before the mark has its jobs sent again by the next run; see <see cref="AggregateReportScheduler"/>).
/// </summary>
internal sealed partial class AggregateJobScheduling(AggregateReportScheduler scheduler, IServiceBusPublisher publisher, ILogger<AggregateJobScheduling> logger)
{
    /// <summary>The Service Bus MessageId of a job: its day and policy domain (duplicate detection drops a re-send).</summary>
    public static string MessageId(AggregateReportJob job) => $"{job.Day:yyyy-MM-dd}/{job.PolicyDomain}";

    public async Task<IReadOnlyList<AggregateReportJob>> ScheduleAsync(CancellationToken cancellationToken)
    {
        var jobs = await scheduler.ScheduleAsync(cancellationToken).ConfigureAwait(false);
        await publisher.SendAsync(ResourceNames.AggregateJobsQueue,
            [.. jobs.Select(j => ServiceBusPublisher.CreateJsonMessage(j, ReportingJsonContext.Default.AggregateReportJob, MessageId(j)))],
            cancellationToken).ConfigureAwait(false);
        await scheduler.MarkQueuedAsync(jobs, cancellationToken).ConfigureAwait(false);
        LogScheduled(logger, jobs.Count, string.Join(", ", jobs.Select(MessageId)));
        return jobs;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} aggregate report job(s) scheduled: {Jobs}")]
    private static partial void LogScheduled(ILogger logger, int count, string jobs);
}
