namespace DmarcCloud.LocalServiceBus.Messaging;

/// <summary>Where a message is in its life on the broker.</summary>
internal enum MessageState
{
    /// <summary>Waiting for its scheduled enqueue time; not deliverable yet.</summary>
    Scheduled,

    /// <summary>Deliverable.</summary>
    Ready,

    /// <summary>Delivered under a PeekLock lock that has not been settled or expired.</summary>
    Locked,
}
