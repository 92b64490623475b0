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

    /// <summary>Creates the exception with a message and cause.</summary>
    public WorkerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
