namespace DmarcCloud.Azure.Messaging;

/// <summary>How a drained message is settled.</summary>
public enum ServiceBusSettlement
{
    /// <summary>Handled: remove it from the queue.</summary>
    Complete,

    /// <summary>A transient fault: release the lock so it is delivered again (its delivery count grows).</summary>
    Abandon,

    /// <summary>Permanent bad input: move it to the dead-letter queue with a reason.</summary>
    DeadLetter,
}
