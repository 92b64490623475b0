using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// Decides which (day, policy domain) reports are due: every finished UTC day after the watermark (so a missed
/// or late timer catches up, rspamd#4053), each policy domain with verdicts that day, each job once.
/// </summary>
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

    /// <summary>The jobs not scheduled before, oldest day first; the watermark moves to the last finished day.</summary>
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

        var jobs = new List<AggregateReportJob>();
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
}
