namespace DmarcCloud.LocalServiceBus.Messaging;

/// <summary>
/// A message held by the broker: the sender's encoded AMQP message, untouched, plus the broker's own
/// bookkeeping (sequence number, times, delivery count, lock, dead-letter reason). The broker's annotations
/// are added to a copy at delivery (<see cref="MessageCodec.ForDelivery"/>).
/// </summary>
internal sealed class BrokeredMessage
{
    public BrokeredMessage(long sequenceNumber, byte[] payload)
    {
        SequenceNumber = sequenceNumber;
        Payload = payload;
    }

    public long SequenceNumber { get; }

    /// <summary>The encoded message as the sender sent it (after any properties-to-modify were applied).</summary>
    public byte[] Payload { get; set; }

    public string? MessageId { get; init; }

    /// <summary>When the broker accepted the message (or scheduled it).</summary>
    public DateTime EnqueuedTime { get; init; }

    public DateTime? ScheduledEnqueueTime { get; init; }

    /// <summary>The effective time to live: the message's own, capped by the queue default. Null: forever.</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>Failed deliveries so far (abandon, lock expiry); the header shows it, the SDK shows it + 1.</summary>
    public int DeliveryCount { get; set; }

    public bool InDeadLetterQueue { get; set; }

    public string? DeadLetterReason { get; set; }

    public string? DeadLetterErrorDescription { get; set; }

    public string? DeadLetterSource { get; set; }

    public MessageState State { get; set; }

    public Guid LockToken { get; set; }

    public DateTime LockedUntil { get; set; }

    public object? LockHolder { get; set; }

    /// <summary>When the message became deliverable: its scheduled time if it had one, else its enqueue time.</summary>
    public DateTime ActiveTime => ScheduledEnqueueTime is { } scheduled && scheduled > EnqueuedTime ? scheduled : EnqueuedTime;

    public DateTime? ExpiresAt => TimeToLive is { } ttl && DateTime.MaxValue - ActiveTime > ttl ? ActiveTime + ttl : null;
}
