namespace DmarcCloud.LocalServiceBus.Messaging;

/// <summary>What a receiver does with a locked message.</summary>
internal enum Settlement
{
    /// <summary>Accepted: the message is removed.</summary>
    Complete,

    /// <summary>Modified: delivery failed; the delivery count rises, the message is redelivered or dead-lettered.</summary>
    Abandon,

    /// <summary>Rejected: moved to the dead-letter queue with the given reason.</summary>
    DeadLetter,

    /// <summary>Released: the receiver never looked at it (SDK with no pending receive); no count change.</summary>
    Release,

    /// <summary>Modified{undeliverable-here}: not supported (deferred messages need receive-by-sequence-number).</summary>
    Defer,
}
