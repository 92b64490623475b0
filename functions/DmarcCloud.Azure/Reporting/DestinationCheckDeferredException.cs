namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// A report destination could not be verified because DNS failed: the job must be retried later (the function
/// returns non-2xx and Service Bus redelivers). Not an authorization refusal.
/// </summary>
public sealed class DestinationCheckDeferredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DestinationCheckDeferredException(string destination, string detail)
        : base($"Destination {destination} could not be verified now: {detail}")
    {
        Destination = destination;
    }

    /// <summary>Creates the exception.</summary>
    public DestinationCheckDeferredException()
    {
        Destination = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public DestinationCheckDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
        Destination = string.Empty;
    }

    /// <summary>The destination whose check failed.</summary>
    public string Destination { get; }
}
