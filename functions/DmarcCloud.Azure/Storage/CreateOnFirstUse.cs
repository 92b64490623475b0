namespace DmarcCloud.Azure.Storage;

/// <summary>
/// Runs a "create if not exists" once it succeeds, and again after it failed: a cached faulted task
/// (<c>Lazy&lt;Task&gt;</c>) would turn one transient error at first use into an error on every call until restart.
/// Concurrent callers share the attempt in flight.
/// </summary>
internal sealed class CreateOnFirstUse(Func<Task> create)
{
    private readonly Func<Task> _create = create ?? throw new ArgumentNullException(nameof(create));
    private readonly Lock _gate = new();
    private Task? _attempt;

    /// <summary>The current attempt, or a new one when there is none yet or the last one failed or was cancelled.</summary>
    public Task EnsureAsync()
    {
        lock (_gate)
        {
            if (_attempt is null || _attempt.IsFaulted || _attempt.IsCanceled)
            {
                _attempt = _create();
            }

            return _attempt;
        }
    }
}
