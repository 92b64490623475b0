namespace DmarcCloud.LocalHost.Worker;

/// <summary>The worker is not connected (starting, crashed and restarting, or stopped).</summary>
public sealed class WorkerUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WorkerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>
    /// True when the invocation was never sent (the stream had already ended), so it ran nowhere and may be sent to the
    /// next worker; false when it was cut while the worker held it (the trigger decides whether to retry).
    /// </summary>
    public bool NotSent { get; init; }

    /// <summary>Creates the exception with a message and cause.</summary>
    public WorkerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
