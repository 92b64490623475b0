using DmarcCloud.LocalServiceBus.Messaging;

namespace DmarcCloud.LocalServiceBus.Storage;

/// <summary>What replaying a queue journal found: the live messages of the queue and its dead-letter queue.</summary>
internal sealed class JournalContents
{
    public SortedDictionary<long, BrokeredMessage> Active { get; } = new();

    public SortedDictionary<long, BrokeredMessage> DeadLettered { get; } = new();

    /// <summary>Message ids seen (for duplicate detection) and when.</summary>
    public Dictionary<string, DateTime> SeenMessageIds { get; } = new(StringComparer.Ordinal);

    public long NextSequenceNumber { get; set; } = 1;

    /// <summary>Where replay stopped at a torn or unreadable record (a crash mid-write), if it did.</summary>
    public long? DamagedAt { get; set; }

    /// <summary>The copy of the damaged journal kept before compaction.</summary>
    public string? DamagedCopy { get; set; }
}
