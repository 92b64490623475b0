namespace DmarcCloud.LocalServiceBus.Configuration;

/// <summary>
/// One queue of the local broker, with the Azure Service Bus queue properties it imitates. Its dead-letter
/// queue (<c>&lt;name&gt;/$DeadLetterQueue</c>) always exists.
/// </summary>
public sealed class QueueOptions
{
    /// <summary>The largest message the Standard tier accepts (256 KB), the default here.</summary>
    public const int DefaultMaxMessageSizeInBytes = 256 * 1024;

    /// <summary>Creates the options of the queue <paramref name="name"/>, with Service Bus defaults.</summary>
    public QueueOptions(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The queue name (compared case-insensitively, like Service Bus).</summary>
    public string Name { get; }

    /// <summary>Deliveries after which a message is dead-lettered with <c>MaxDeliveryCountExceeded</c>.</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>How long a PeekLock receive holds a message before it is redelivered.</summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a message lives; a message's own TimeToLive is capped to it. Null: unlimited.</summary>
    public TimeSpan? DefaultMessageTimeToLive { get; set; }

    /// <summary>Whether an expired message goes to the dead-letter queue (true) or is dropped (false, the Service Bus default).</summary>
    public bool DeadLetteringOnMessageExpiration { get; set; }

    /// <summary>The window in which a second message with the same MessageId is dropped. Null: no detection.</summary>
    public TimeSpan? DuplicateDetectionHistoryTimeWindow { get; set; }

    /// <summary>The largest message (or batch) a sender may send, announced on the link attach.</summary>
    public int MaxMessageSizeInBytes { get; set; } = DefaultMaxMessageSizeInBytes;

    /// <summary>Throws when a value is out of the range Service Bus accepts.</summary>
    public void Validate()
    {
        if (MaxDeliveryCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDeliveryCount), MaxDeliveryCount, $"Queue '{Name}': MaxDeliveryCount must be at least 1.");
        }

        if (LockDuration <= TimeSpan.Zero || LockDuration > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(LockDuration), LockDuration, $"Queue '{Name}': LockDuration must be more than 0 and at most 5 minutes.");
        }

        if (DefaultMessageTimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultMessageTimeToLive), ttl, $"Queue '{Name}': DefaultMessageTimeToLive must be positive.");
        }

        if (DuplicateDetectionHistoryTimeWindow is { } window && window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DuplicateDetectionHistoryTimeWindow), window, $"Queue '{Name}': DuplicateDetectionHistoryTimeWindow must be positive.");
        }

        if (MaxMessageSizeInBytes < 1024 || MaxMessageSizeInBytes > 100 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageSizeInBytes), MaxMessageSizeInBytes, $"Queue '{Name}': MaxMessageSizeInBytes must be between 1 KB and 100 MB.");
        }

        if (Name.Contains('/', StringComparison.Ordinal) || Name.Contains('$', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Queue name '{Name}' must not contain '/' or '$'.", nameof(Name));
        }
    }
}
