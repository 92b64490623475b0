using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// Decides which (day, policy domain) reports are due: every finished UTC day after the watermark (so a missed
/// or late timer catches up, rspamd#4053), each policy domain with verdicts that day, each job once.
/// </summary>
/// <remarks>
/// A job is recorded in the ledger before its message is sent and marked queued after (<see cref="MarkQueuedAsync"/>).
/// A run that stops in between (crash, Service Bus unreachable) leaves the record unqueued, and the next run returns
/// the job again: nothing is lost. A job sent but not marked is sent again with the same MessageId; Service Bus
/// duplicate detection drops it within its window, and beyond it the rebuild is deterministic and SendReport's ledger
/// sends each (report, destination) once: nothing is doubled.
/// </remarks>
public sealed class AggregateReportScheduler
{
    private readonly IVerdictStore _verdicts;
    private readonly ReportLedger _ledger;
    private readonly TimeProvider _time;
    private readonly int _maxCatchUpDays;

    /// <summary>Creates a scheduler.</summary>
    public AggregateReportScheduler(IVerdictStore verdicts, ReportLedger ledger, TimeProvider time, ReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _verdicts = verdicts;
        _ledger = ledger;
        _time = time;
        _maxCatchUpDays = options.MaxCatchUpDays;
    }

    /// <summary>
    /// The jobs to send: those an earlier run left unqueued, then the ones not scheduled before, oldest day first; the
    /// watermark moves to the last finished day. Send them, then call <see cref="MarkQueuedAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<AggregateReportJob>> ScheduleAsync(CancellationToken cancellationToken = default)
    {
        var lastFinished = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(-1);
        var earliest = lastFinished.AddDays(1 - _maxCatchUpDays);
        var watermark = await _ledger.GetWatermarkAsync(cancellationToken).ConfigureAwait(false);

        // First run: report yesterday only. Later: every day after the watermark, bounded by MaxCatchUpDays.
        var first = watermark is DateOnly w ? w.AddDays(1) : lastFinished;
        if (first < earliest)
        {
            first = earliest;
        }

        // Jobs an earlier run recorded but did not confirm sent, within the catch-up window.
        var jobs = new List<AggregateReportJob>(await _ledger.ListUnqueuedJobsAsync(earliest, lastFinished, cancellationToken).ConfigureAwait(false));
        for (var day = first; day <= lastFinished; day = day.AddDays(1))
        {
            await foreach (var domain in _verdicts.ListPolicyDomainsAsync(day, cancellationToken).ConfigureAwait(false))
            {
                if (await _ledger.TryRecordJobAsync(day, domain, cancellationToken).ConfigureAwait(false))
                {
                    jobs.Add(new AggregateReportJob(day, domain));
                }
            }

            await _ledger.AdvanceWatermarkAsync(day, cancellationToken).ConfigureAwait(false);
        }

        return jobs;
    }

    /// <summary>Records that the messages of <paramref name="jobs"/> were sent.</summary>
    public async Task MarkQueuedAsync(IEnumerable<AggregateReportJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var job in jobs)
        {
            await _ledger.MarkJobQueuedAsync(job.Day, job.PolicyDomain, cancellationToken).ConfigureAwait(false);
        }
    }
}
