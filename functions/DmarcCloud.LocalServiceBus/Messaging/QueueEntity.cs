using DmarcCloud.LocalServiceBus.Configuration;
using DmarcCloud.LocalServiceBus.Storage;

namespace DmarcCloud.LocalServiceBus.Messaging;

/// <summary>
/// One queue and its dead-letter queue: storage, locks, delivery, settlement, scheduling, TTL and duplicate
/// detection. Every state change happens under one lock per queue and is journaled before it is visible.
/// </summary>
internal sealed class QueueEntity : IDisposable
{
    public const string MaxDeliveryCountExceededReason = "MaxDeliveryCountExceeded";
    public const string TtlExpiredReason = "TTLExpiredException";

    readonly object gate = new();
    readonly TimeProvider clock;
    readonly QueueJournal? journal;
    readonly SubQueue active;
    readonly SubQueue deadLetter;
    readonly Dictionary<Guid, BrokeredMessage> locks = new();
    readonly Dictionary<string, DateTime> seenMessageIds;
    readonly Queue<(string Id, DateTime Seen)> seenOrder = new();
    long nextSequenceNumber;
    DateTime lastTtlSweep;

    public QueueEntity(QueueOptions options, TimeProvider clock, string? dataDirectory, TextWriter? log = null)
    {
        Options = options;
        this.clock = clock;
        JournalContents contents;
        if (dataDirectory is null)
        {
            contents = new JournalContents();
        }
        else
        {
            journal = QueueJournal.Open(Path.Combine(dataDirectory, options.Name.ToLowerInvariant() + ".journal"), Now, options.DuplicateDetectionHistoryTimeWindow, out contents);
            if (contents.DamagedAt is { } offset)
            {
                log?.WriteLine($"local Service Bus: queue '{options.Name}': journal unreadable from byte {offset} (torn or corrupt record); replayed what came before, the original is kept as {contents.DamagedCopy}");
            }
        }

        active = new SubQueue(false, contents.Active);
        deadLetter = new SubQueue(true, contents.DeadLettered);
        seenMessageIds = contents.SeenMessageIds;
        foreach (var (id, seen) in seenMessageIds.OrderBy(p => p.Value))
        {
            seenOrder.Enqueue((id, seen));
        }

        nextSequenceNumber = contents.NextSequenceNumber;
        var now = Now;
        foreach (var sub in new[] { active, deadLetter })
        {
            foreach (var message in sub.Messages.Values)
            {
                Place(sub, message, now);
            }
        }
    }

    /// <summary>A stored message waits in the scheduled set until its enqueue time, else it is ready for delivery.</summary>
    private static void Place(SubQueue sub, BrokeredMessage message, DateTime now)
    {
        if (message.ScheduledEnqueueTime is { } at && at > now)
        {
            message.State = MessageState.Scheduled;
            sub.Scheduled.Add((at.Ticks, message.SequenceNumber));
        }
        else
        {
            message.State = MessageState.Ready;
            sub.Ready.Add(message.SequenceNumber);
        }
    }

    public QueueOptions Options { get; }

    public string Name => Options.Name;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Counts for tests and diagnostics: (active incl. scheduled, dead-lettered, locked).</summary>
    public (int Active, int DeadLettered, int Locked) Counts
    {
        get
        {
            lock (gate)
            {
                return (active.Messages.Count, deadLetter.Messages.Count, locks.Count);
            }
        }
    }

    /// <summary>
    /// Stores sent messages (one send or one batch, all or nothing) and returns their sequence numbers;
    /// a duplicate within the detection window is accepted and dropped (its number is -1).
    /// </summary>
    public IReadOnlyList<long> Enqueue(IReadOnlyList<byte[]> payloads, DateTime? scheduleAt = null)
    {
        var facts = payloads.Select(MessageCodec.Inspect).ToList();
        var numbers = new List<long>(payloads.Count);
        lock (gate)
        {
            var now = Now;
            for (int i = 0; i < payloads.Count; i++)
            {
                var (messageId, ttl, scheduled) = facts[i];
                if (IsDuplicate(messageId, now))
                {
                    numbers.Add(-1);
                    continue;
                }

                if (Options.DefaultMessageTimeToLive is { } queueTtl && (ttl is null || ttl > queueTtl))
                {
                    ttl = queueTtl;
                }

                var message = new BrokeredMessage(nextSequenceNumber++, payloads[i])
                {
                    MessageId = messageId,
                    EnqueuedTime = now,
                    ScheduledEnqueueTime = scheduleAt ?? scheduled,
                    TimeToLive = ttl,
                };
                journal?.AppendStored(message);
                RememberMessageId(messageId, now);
                active.Messages.Add(message.SequenceNumber, message);
                Place(active, message, now);

                numbers.Add(message.SequenceNumber);
            }

            Dispatch(active);
        }

        return numbers;
    }

    /// <summary>Cancels scheduled messages; numbers that are not (or no longer) scheduled are ignored.</summary>
    public void CancelScheduled(IEnumerable<long> sequenceNumbers)
    {
        lock (gate)
        {
            foreach (var number in sequenceNumbers)
            {
                if (active.Messages.TryGetValue(number, out var message) && message.State == MessageState.Scheduled)
                {
                    active.Scheduled.Remove((message.ScheduledEnqueueTime!.Value.Ticks, number));
                    Remove(active, message);
                }
            }
        }
    }

    public void AddConsumer(IMessageConsumer consumer, bool deadLetterQueue)
    {
        lock (gate)
        {
            var sub = deadLetterQueue ? deadLetter : active;
            sub.Consumers.Add(consumer);
            Dispatch(sub);
        }
    }

    /// <summary>Removes a receiver. Its locks stay until they expire (as in Service Bus); the management link can still settle them.</summary>
    public void RemoveConsumer(IMessageConsumer consumer)
    {
        lock (gate)
        {
            active.Consumers.Remove(consumer);
            deadLetter.Consumers.Remove(consumer);
        }
    }

    /// <summary>A receiver granted credit: deliver what is ready.</summary>
    public void OnCredit(bool deadLetterQueue)
    {
        lock (gate)
        {
            Dispatch(deadLetterQueue ? deadLetter : active);
        }
    }

    /// <summary>Settles the message locked under <paramref name="lockToken"/>.</summary>
    public SettlementResult Settle(
        Guid lockToken,
        Settlement settlement,
        string? deadLetterReason = null,
        string? deadLetterDescription = null,
        IReadOnlyList<KeyValuePair<string, object?>>? propertiesToModify = null)
    {
        lock (gate)
        {
            var now = Now;
            if (!locks.TryGetValue(lockToken, out var message))
            {
                return SettlementResult.LockLost;
            }

            if (message.LockedUntil <= now)
            {
                ExpireLock(message);
                return SettlementResult.LockLost;
            }

            if (settlement == Settlement.Defer)
            {
                return SettlementResult.NotSupported;
            }

            var sub = message.InDeadLetterQueue ? deadLetter : active;
            Unlock(message);
            if (propertiesToModify is { Count: > 0 } && settlement is Settlement.Abandon or Settlement.DeadLetter)
            {
                message.Payload = MessageCodec.WithApplicationProperties(message.Payload, propertiesToModify);
                journal?.AppendStored(message);
            }

            try
            {
                switch (settlement)
                {
                    case Settlement.Complete:
                        Remove(sub, message);
                        break;
                    case Settlement.Abandon:
                        FailDelivery(message);
                        break;
                    case Settlement.DeadLetter when !message.InDeadLetterQueue:
                        MoveToDeadLetter(message, deadLetterReason, deadLetterDescription);
                        break;
                    default:
                        // Release, or dead-lettering a dead-lettered message (Service Bus refuses it): back to ready.
                        MakeReady(sub, message);
                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // The journal refused the change: the message stays, unlocked and deliverable again.
                EnsureDeliverable(message);
                throw;
            }

            Dispatch(sub);
            return SettlementResult.Settled;
        }
    }

    /// <summary>Extends a lock by the lock duration; null when the lock is lost.</summary>
    public DateTime? RenewLock(Guid lockToken)
    {
        lock (gate)
        {
            if (!locks.TryGetValue(lockToken, out var message))
            {
                return null;
            }

            if (message.LockedUntil <= Now)
            {
                ExpireLock(message);
                return null;
            }

            message.LockedUntil = Now + Options.LockDuration;
            return message.LockedUntil;
        }
    }

    /// <summary>Encoded copies (as delivered, without a lock) of up to <paramref name="count"/> messages from <paramref name="fromSequenceNumber"/> on.</summary>
    public IReadOnlyList<byte[]> Peek(bool deadLetterQueue, long fromSequenceNumber, int count)
    {
        lock (gate)
        {
            var sub = deadLetterQueue ? deadLetter : active;
            ExpireMessages(sub);
            var result = new List<byte[]>();
            foreach (var (number, message) in sub.Messages)
            {
                if (result.Count >= count)
                {
                    break;
                }

                if (number >= fromSequenceNumber)
                {
                    using var copy = MessageCodec.ForDelivery(message, null);
                    result.Add(MessageCodec.Encode(copy));
                }
            }

            return result;
        }
    }

    /// <summary>Expires locks, activates scheduled messages, expires messages past their TTL (about once a second).</summary>
    public void Sweep()
    {
        lock (gate)
        {
            var now = Now;
            foreach (var message in locks.Values.Where(m => m.LockedUntil <= now).ToList())
            {
                try
                {
                    ExpireLock(message);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
                {
                    EnsureDeliverable(message);
                    throw;
                }
            }

            foreach (var sub in new[] { active, deadLetter })
            {
                while (sub.Scheduled.Count > 0 && sub.Scheduled.Min.Ticks <= now.Ticks)
                {
                    var entry = sub.Scheduled.Min;
                    sub.Scheduled.Remove(entry);
                    if (sub.Messages.TryGetValue(entry.Sequence, out var message))
                    {
                        MakeReady(sub, message);
                    }
                }
            }

            if (now - lastTtlSweep >= TimeSpan.FromSeconds(1))
            {
                lastTtlSweep = now;
                ExpireMessages(active);
            }

            Dispatch(active);
            Dispatch(deadLetter);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            journal?.Dispose();
        }
    }

    bool IsDuplicate(string? messageId, DateTime now)
    {
        if (Options.DuplicateDetectionHistoryTimeWindow is not { } window || messageId is null)
        {
            return false;
        }

        while (seenOrder.Count > 0 && seenOrder.Peek().Seen < now - window)
        {
            var (id, seen) = seenOrder.Dequeue();
            if (seenMessageIds.TryGetValue(id, out var latest) && latest == seen)
            {
                seenMessageIds.Remove(id);
            }
        }

        return seenMessageIds.ContainsKey(messageId);
    }

    /// <summary>Remembers a stored message's id for duplicate detection (after its journal record is written, so a failed write can be retried).</summary>
    void RememberMessageId(string? messageId, DateTime now)
    {
        if (Options.DuplicateDetectionHistoryTimeWindow is null || messageId is null)
        {
            return;
        }

        seenMessageIds[messageId] = now;
        seenOrder.Enqueue((messageId, now));
    }

    void Dispatch(SubQueue sub)
    {
        while (sub.Ready.Count > 0 && sub.Consumers.Count > 0)
        {
            var consumer = NextConsumer(sub);
            if (consumer is null)
            {
                return;
            }

            long number = sub.Ready.Min;
            var message = sub.Messages[number];
            sub.Ready.Remove(number);
            if (IsExpired(message, Now))
            {
                Expire(message);
                continue;
            }

            var token = Guid.NewGuid();
            if (consumer.ReceiveAndDelete)
            {
                if (consumer.TryDeliver(message, token, null))
                {
                    Remove(sub, message);
                }
                else
                {
                    sub.Ready.Add(number);
                    sub.Consumers.Remove(consumer);
                }

                continue;
            }

            message.State = MessageState.Locked;
            message.LockToken = token;
            message.LockedUntil = Now + Options.LockDuration;
            message.LockHolder = consumer;
            locks[token] = message;
            if (!consumer.TryDeliver(message, token, message.LockedUntil))
            {
                Unlock(message);
                MakeReady(sub, message);
                sub.Consumers.Remove(consumer);
            }
        }
    }

    static IMessageConsumer? NextConsumer(SubQueue sub)
    {
        for (int i = 0; i < sub.Consumers.Count; i++)
        {
            var consumer = sub.Consumers[(sub.Cursor + i) % sub.Consumers.Count];
            if (consumer.Capacity > 0)
            {
                sub.Cursor = (sub.Cursor + i + 1) % sub.Consumers.Count;
                return consumer;
            }
        }

        return null;
    }

    void Unlock(BrokeredMessage message)
    {
        locks.Remove(message.LockToken);
        message.LockToken = Guid.Empty;
        message.LockHolder = null;
        message.State = MessageState.Ready;
    }

    void ExpireLock(BrokeredMessage message)
    {
        Unlock(message);
        FailDelivery(message);
    }

    /// <summary>A delivery attempt failed (abandon, lock expiry): count it; dead-letter at MaxDeliveryCount.</summary>
    void FailDelivery(BrokeredMessage message)
    {
        message.DeliveryCount++;
        journal?.AppendDeliveryCount(message);
        if (!message.InDeadLetterQueue && message.DeliveryCount >= Options.MaxDeliveryCount)
        {
            MoveToDeadLetter(message, MaxDeliveryCountExceededReason, $"Message could not be consumed after {Options.MaxDeliveryCount} delivery attempts.");
        }
        else
        {
            MakeReady(message.InDeadLetterQueue ? deadLetter : active, message);
        }
    }

    /// <summary>After a failed journal write: an unlocked message that still exists goes back to ready.</summary>
    void EnsureDeliverable(BrokeredMessage message)
    {
        var sub = message.InDeadLetterQueue ? deadLetter : active;
        if (message.State != MessageState.Locked && sub.Messages.ContainsKey(message.SequenceNumber))
        {
            MakeReady(sub, message);
        }
    }

    void MakeReady(SubQueue sub, BrokeredMessage message)
    {
        message.State = MessageState.Ready;
        sub.Ready.Add(message.SequenceNumber);
    }

    void Remove(SubQueue sub, BrokeredMessage message)
    {
        journal?.AppendRemoved(message);
        sub.Messages.Remove(message.SequenceNumber);
        sub.Ready.Remove(message.SequenceNumber);
    }

    void MoveToDeadLetter(BrokeredMessage message, string? reason, string? description)
    {
        // Journal the dead-letter copy first: if the removal record below is lost, replay lets the DLQ copy win.
        var before = (message.DeadLetterReason, message.DeadLetterErrorDescription);
        message.InDeadLetterQueue = true;
        message.DeadLetterReason = reason;
        message.DeadLetterErrorDescription = description;
        try
        {
            journal?.AppendStored(message);
        }
        catch
        {
            message.InDeadLetterQueue = false;
            (message.DeadLetterReason, message.DeadLetterErrorDescription) = before;
            throw;
        }

        active.Messages.Remove(message.SequenceNumber);
        active.Ready.Remove(message.SequenceNumber);
        deadLetter.Messages[message.SequenceNumber] = message;
        MakeReady(deadLetter, message);
        journal?.AppendRemoved(message.SequenceNumber, deadLetterQueue: false);
        Dispatch(deadLetter);
    }

    static bool IsExpired(BrokeredMessage message, DateTime now) =>
        !message.InDeadLetterQueue && message.ExpiresAt is { } expires && expires <= now;

    void Expire(BrokeredMessage message)
    {
        if (Options.DeadLetteringOnMessageExpiration)
        {
            MoveToDeadLetter(message, TtlExpiredReason, "The message expired and was dead lettered.");
        }
        else
        {
            Remove(active, message);
        }
    }

    void ExpireMessages(SubQueue sub)
    {
        if (sub.IsDeadLetter)
        {
            return;
        }

        var now = Now;
        foreach (var number in sub.Ready.ToList())
        {
            var message = sub.Messages[number];
            if (IsExpired(message, now))
            {
                sub.Ready.Remove(number);
                Expire(message);
            }
        }
    }

    sealed class SubQueue(bool isDeadLetter, SortedDictionary<long, BrokeredMessage> messages)
    {
        public bool IsDeadLetter { get; } = isDeadLetter;

        /// <summary>Every message (scheduled, ready, locked) by sequence number.</summary>
        public SortedDictionary<long, BrokeredMessage> Messages { get; } = messages;

        /// <summary>Sequence numbers of deliverable messages, oldest first.</summary>
        public SortedSet<long> Ready { get; } = new();

        /// <summary>Scheduled messages by (enqueue time ticks, sequence number).</summary>
        public SortedSet<(long Ticks, long Sequence)> Scheduled { get; } = new();

        public List<IMessageConsumer> Consumers { get; } = new();

        public int Cursor { get; set; }
    }
}
