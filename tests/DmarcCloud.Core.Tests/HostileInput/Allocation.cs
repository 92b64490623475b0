namespace DmarcCloud.Core.Tests.HostileInput;

/// <summary>
/// Bytes allocated by one operation on the calling thread. Structural, not timed: the bounds in the tests are
/// generous multiples of the input size, while the quadratic code they guard against allocates hundreds of times more.
/// The operations run synchronously here (the in-memory zone completes every lookup at once), so every
/// allocation happens on this thread; if one ever ran elsewhere the measure could only be lower, never flaky-high.
/// </summary>
internal static class Allocation
{
    public static long Of(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public static (long Bytes, T Result) Of<T>(Func<Task<T>> operation)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var task = operation();
        var result = task.IsCompleted ? task.GetAwaiter().GetResult() : Wait(task);
        return (GC.GetAllocatedBytesForCurrentThread() - before, result);
    }

    private static T Wait<T>(Task<T> task)
    {
        task.Wait(TimeSpan.FromMinutes(5));
        return task.GetAwaiter().GetResult();
    }
}
