namespace DmarcCloud.Azure.Storage;

/// <summary>Why an inbound message could not be evaluated; recorded in table <c>ProcessingErrors</c>.</summary>
public enum ProcessingErrorKind
{
    /// <summary>The trigger message is not a readable Event Grid BlobCreated event.</summary>
    MalformedEvent,

    /// <summary>The event names a blob outside the inbound container, or an event type other than BlobCreated.</summary>
    UnexpectedEvent,

    /// <summary>The blob no longer exists (deleted before it was read).</summary>
    BlobNotFound,

    /// <summary>The message exceeds the configured size limit.</summary>
    TooLarge,

    /// <summary>The blob metadata does not hold a usable SMTP envelope.</summary>
    BadEnvelope,

    /// <summary>A transient fault persisted until the last delivery: the message is dead-lettered.</summary>
    DeliveryLimitReached,
}
