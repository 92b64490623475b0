using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Worker;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Plays a timer trigger: waits for the next UTC occurrence of its schedule and invokes the function with
/// TimerInfo {Schedule, ScheduleStatus, IsPastDue}; at start it runs once when <c>runOnStartup</c> is true or
/// when the stored status shows a missed occurrence (past due). ScheduleStatus is kept in Azurite. One run at a
/// time per function (the host holds a singleton lock). <see cref="RunNowAsync"/> is the admin "run now".
/// </summary>
public sealed class TimerTrigger
{
    private readonly LoadedFunction _function;
    private readonly Func<InvocationRequestFactory, CancellationToken, Task<InvocationOutcome>> _invoke;
    private readonly ScheduleStatusStore _store;
    private readonly TimeProvider _time;
    private readonly HostLog _log;
    private readonly SemaphoreSlim _single = new(1, 1);

    /// <summary>Creates the trigger of <paramref name="function"/> with its schedule (after %Setting% resolution).</summary>
    /// <exception cref="FormatException">The schedule is not valid.</exception>
    public TimerTrigger(
        LoadedFunction function, string schedule, Func<InvocationRequestFactory, CancellationToken, Task<InvocationOutcome>> invoke,
        ScheduleStatusStore store, TimeProvider time, HostLog log)
    {
        _function = function;
        _invoke = invoke;
        _store = store;
        _time = time;
        _log = log;
        Schedule = TimerSchedule.Parse(schedule);
        RunOnStartup = bool.TryParse(function.Get("runOnStartup"), out var run) && run;
    }

    /// <summary>The parsed schedule.</summary>
    public TimerSchedule Schedule { get; }

    /// <summary><c>runOnStartup</c>.</summary>
    public bool RunOnStartup { get; }

    /// <summary>Runs the schedule until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            TimerScheduleStatus? status = null;
            try
            {
                status = await _store.ReadAsync(_function.Name, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && StorageFaults.IsTransient(e))
            {
                _log.Problem($"[{_function.Name}] cannot read the timer status ({StorageFaults.Describe(e)}); treating it as never run");
            }

            var now = _time.GetUtcNow();
            var pastDue = status is not null && status.Next < now;
            if (pastDue || RunOnStartup)
            {
                _log.Host($"[{_function.Name}] {(pastDue ? $"past due (missed {status!.Next:yyyy-MM-dd HH:mm:ss} UTC)" : "runOnStartup")}: running now");
                await FireAsync(pastDue, scheduled: pastDue ? status!.Next : now, stopping).ConfigureAwait(false);
            }

            var next = Schedule.Next(_time.GetUtcNow());
            _log.Host($"[{_function.Name}] timer '{Schedule.Text}', next run {next:yyyy-MM-dd HH:mm:ss} UTC");
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
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Invokes the function now, outside its schedule (IsPastDue false), as the admin API does.</summary>
    public Task<InvocationOutcome> RunNowAsync(CancellationToken cancellationToken = default) =>
        FireAsync(isPastDue: false, scheduled: _time.GetUtcNow(), cancellationToken);

    private async Task<InvocationOutcome> FireAsync(bool isPastDue, DateTimeOffset scheduled, CancellationToken cancellationToken)
    {
        await _single.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TimerScheduleStatus? status = null;
            try
            {
                status = await _store.ReadAsync(_function.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && StorageFaults.IsTransient(e))
            {
                _log.Problem($"[{_function.Name}] cannot read the timer status ({StorageFaults.Describe(e)})");
            }

            var outcome = await _invoke(() => InvocationPayloads.Timer(_function.TriggerName, status, isPastDue), cancellationToken).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                _log.Problem($"[{_function.Name}] timer run failed: {outcome.Error}");
            }

            var now = _time.GetUtcNow();
            try
            {
                await _store.WriteAsync(_function.Name, new TimerScheduleStatus(scheduled, Schedule.Next(now), now), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && StorageFaults.IsTransient(e))
            {
                _log.Problem($"[{_function.Name}] cannot write the timer status ({StorageFaults.Describe(e)})");
            }

            return outcome;
        }
        finally
        {
            _single.Release();
        }
    }
}
