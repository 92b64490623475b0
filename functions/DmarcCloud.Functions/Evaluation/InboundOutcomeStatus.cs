namespace DmarcCloud.Functions.Evaluation;

/// <summary>How an inbound message ended.</summary>
public enum InboundOutcomeStatus
{
    /// <summary>Evaluated and stored: outputs follow.</summary>
    Evaluated,

    /// <summary>Bad input, recorded in ProcessingErrors and acknowledged: retrying cannot help.</summary>
    Rejected,

    /// <summary>A transient fault: the invocation must fail so Service Bus redelivers.</summary>
    Retry,
}
