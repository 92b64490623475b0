namespace DmarcCloud.Functions.Evaluation;

/// <summary>
/// Thrown by EvaluateMessage for a transient fault: the queue trigger then leaves the message for another attempt
/// (and moves it to the poison queue after <c>maxDequeueCount</c>). The Functions host is the caller that handles it.
/// </summary>
public sealed class RedeliveryRequestedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedeliveryRequestedException()
    {
    }

    /// <summary>Creates the exception with the fault.</summary>
    public RedeliveryRequestedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the fault and its cause.</summary>
    public RedeliveryRequestedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
