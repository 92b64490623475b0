using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Protocol;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Plays a timerTrigger: waits for the next UTC occurrence of its schedule and invokes the function with
/// TimerInfo {Schedule, ScheduleStatus, IsPastDue}; runs at start when <c>runOnStartup</c> is true or when
/// the stored status shows a missed occurrence (past due); keeps ScheduleStatus in Azurite. One run at a
/// time per function (the host holds a singleton lock). <see cref="RunNowAsync"/> is the admin "run now".
/// </summary>
public sealed class TimerTriggerScheduler
{
    private readonly FunctionMetadata _function;
    private readonly FunctionInvoker _invoker;
    private readonly ScheduleStatusStore _store;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _single = new(1, 1);

    /// <summary>Creates the scheduler of <paramref name="function"/>.</summary>
    public TimerTriggerScheduler(FunctionMetadata function, FunctionInvoker invoker, ScheduleStatusStore store, TimeProvider time, Action<string> log)
    {
        _function = function;
        _invoker = invoker;
        _store = store;
        _time = time;
        _log = log;
        Schedule = TimerSchedule.Parse(function.Trigger.Require("schedule"));
        RunOnStartup = bool.TryParse(function.Trigger.Get("runOnStartup"), out var run) && run;
    }

    /// <summary>The parsed schedule.</summary>
    public TimerSchedule Schedule { get; }

    /// <summary><c>runOnStartup</c>.</summary>
    public bool RunOnStartup { get; }

    /// <summary>Runs the schedule until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var status = await _store.ReadAsync(_function.Name, stopping).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var pastDue = status is not null && status.Next < now;
        if (pastDue || RunOnStartup)
        {
            await FireAsync(pastDue, scheduled: pastDue ? status!.Next : now, stopping).ConfigureAwait(false);
        }

        var next = Schedule.Next(_time.GetUtcNow());
        _log($"[{_function.Name}] timer '{Schedule.Text}' next run {next:yyyy-MM-dd HH:mm:ss} UTC");
        while (!stopping.IsCancellationRequested)
        {
            var wait = next - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait, _time, stopping).ConfigureAwait(false);
                continue;
            }

            await FireAsync(isPastDue: wait < -TimeSpan.FromSeconds(5), scheduled: next, stopping).ConfigureAwait(false);
            next = Schedule.Next(next > _time.GetUtcNow() ? next : _time.GetUtcNow());
        }
    }

    /// <summary>Invokes the function now, outside its schedule (IsPastDue false), as the admin API does.</summary>
    public Task<InvocationResult> RunNowAsync(CancellationToken cancellationToken = default) =>
        FireAsync(isPastDue: false, scheduled: _time.GetUtcNow(), cancellationToken);

    private async Task<InvocationResult> FireAsync(bool isPastDue, DateTimeOffset scheduled, CancellationToken cancellationToken)
    {
        await _single.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var status = await _store.ReadAsync(_function.Name, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var payload = HostPayloadBuilder.Timer(_function.Name, _function.Trigger.Name, status, isPastDue, now, Guid.NewGuid());
            var result = await _invoker.InvokeAsync(_function, payload, cancellationToken).ConfigureAwait(false);
            var updated = new TimerScheduleStatus(scheduled, Schedule.Next(now), _time.GetUtcNow());
            await _store.WriteAsync(_function.Name, updated, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _single.Release();
        }
    }
}
