using System.Buffers.Binary;
using System.Text;
using DmarcCloud.LocalServiceBus.Messaging;

namespace DmarcCloud.LocalServiceBus.Storage;

/// <summary>
/// The append-only journal of one queue (and its dead-letter queue): every state change that must survive a
/// restart is one record — a message stored (sent, scheduled, moved to the DLQ, properties modified), a
/// message removed (completed, received-and-deleted, expired, cancelled), a delivery count raised. Locks are
/// not recorded: a restart releases them, keeping the delivery count. Opening replays the file, then
/// compacts it (rewrites only the live messages) before appending again.
/// </summary>
/// <remarks>
/// Record framing: a 4-byte little-endian length, then the record. A torn last record (the process died
/// mid-write) is ignored at replay. Writes are flushed to the operating system per record (they survive a
/// killed process), not fsync'ed (a power cut may lose the last ones): this is a development broker.
/// </remarks>
internal sealed class QueueJournal : IDisposable
{
    const byte StoredRecord = (byte)'E';
    const byte RemovedRecord = (byte)'R';
    const byte DeliveryCountRecord = (byte)'D';
    const byte SeenRecord = (byte)'I';
    const byte NextSequenceRecord = (byte)'S';

    readonly FileStream stream;
    readonly MemoryStream buffer = new();
    readonly BinaryWriter writer;

    QueueJournal(FileStream stream)
    {
        this.stream = stream;
        writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Replays and compacts the journal at <paramref name="path"/> (created when missing), then opens it for appending.</summary>
    public static QueueJournal Open(string path, DateTime now, TimeSpan? duplicateWindow, out JournalContents contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        contents = File.Exists(path) ? Replay(path) : new JournalContents();
        if (contents.DamagedAt is { } offset)
        {
            // Keep the original: compaction rewrites only what could be read, so what follows the damage
            // (a torn last record after a crash, or a corrupt one) is saved for inspection, never silently dropped.
            contents.DamagedCopy = $"{path}.damaged-{now:yyyyMMddTHHmmssfff}";
            File.Copy(path, contents.DamagedCopy, overwrite: true);
        }

        if (duplicateWindow is { } window)
        {
            foreach (var stale in contents.SeenMessageIds.Where(p => p.Value < now - window).Select(p => p.Key).ToList())
            {
                contents.SeenMessageIds.Remove(stale);
            }
        }
        else
        {
            contents.SeenMessageIds.Clear();
        }

        var compacted = path + ".compacting";
        using (var fresh = new QueueJournal(new FileStream(compacted, FileMode.Create, FileAccess.Write, FileShare.None)))
        {
            fresh.AppendNextSequence(contents.NextSequenceNumber);
            foreach (var (id, seen) in contents.SeenMessageIds)
            {
                fresh.AppendSeen(id, seen);
            }

            foreach (var message in contents.Active.Values.Concat(contents.DeadLettered.Values))
            {
                fresh.AppendStored(message);
            }

            fresh.stream.Flush(flushToDisk: true);
        }

        File.Move(compacted, path, overwrite: true);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new QueueJournal(stream);
    }

    /// <summary>Opens the journal for appending without replaying it (tests that simulate a crash mid-change).</summary>
    internal static QueueJournal AppendTo(string path) => new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));

    public void AppendStored(BrokeredMessage message)
    {
        Begin(StoredRecord);
        writer.Write(message.InDeadLetterQueue);
        writer.Write(message.SequenceNumber);
        writer.Write(message.EnqueuedTime.Ticks);
        writer.Write(message.ScheduledEnqueueTime?.Ticks ?? -1);
        writer.Write(message.TimeToLive?.Ticks ?? -1);
        writer.Write(message.DeliveryCount);
        WriteString(message.MessageId);
        WriteString(message.DeadLetterReason);
        WriteString(message.DeadLetterErrorDescription);
        WriteString(message.DeadLetterSource);
        writer.Write(message.Payload.Length);
        writer.Write(message.Payload);
        Commit();
    }

    public void AppendRemoved(BrokeredMessage message) => AppendRemoved(message.SequenceNumber, message.InDeadLetterQueue);

    public void AppendRemoved(long sequenceNumber, bool deadLetterQueue)
    {
        Begin(RemovedRecord);
        writer.Write(deadLetterQueue);
        writer.Write(sequenceNumber);
        Commit();
    }

    public void AppendDeliveryCount(BrokeredMessage message)
    {
        Begin(DeliveryCountRecord);
        writer.Write(message.InDeadLetterQueue);
        writer.Write(message.SequenceNumber);
        writer.Write(message.DeliveryCount);
        Commit();
    }

    public void AppendSeen(string messageId, DateTime seen)
    {
        Begin(SeenRecord);
        writer.Write(messageId);
        writer.Write(seen.Ticks);
        Commit();
    }

    public void AppendNextSequence(long next)
    {
        Begin(NextSequenceRecord);
        writer.Write(next);
        Commit();
    }

    public void Dispose()
    {
        writer.Dispose();
        stream.Dispose();
    }

    void Begin(byte type)
    {
        buffer.SetLength(0);
        writer.Write(0); // length, patched in Commit
        writer.Write(type);
    }

    void Commit()
    {
        writer.Flush();
        var bytes = buffer.GetBuffer();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)buffer.Length - 4);
        stream.Write(bytes, 0, (int)buffer.Length);
        stream.Flush();
    }

    void WriteString(string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    static JournalContents Replay(string path)
    {
        var contents = new JournalContents();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var reader = new BinaryReader(file, Encoding.UTF8);
        var header = new byte[4];
        while (true)
        {
            long recordStart = file.Position;
            int read = file.ReadAtLeast(header, 4, throwOnEndOfStream: false);
            if (read == 0)
            {
                break;
            }

            int length = read == 4 ? BinaryPrimitives.ReadInt32LittleEndian(header) : -1;
            if (length <= 0 || length > file.Length - file.Position)
            {
                contents.DamagedAt = recordStart;
                break;
            }

            var record = new byte[length];
            file.ReadExactly(record);
            try
            {
                Apply(contents, record);
            }
            catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or IOException or ArgumentException)
            {
                contents.DamagedAt = recordStart;
                break;
            }
        }

        // A message moved to the dead-letter queue whose removal from the queue was not recorded: the DLQ copy wins.
        foreach (var sequence in contents.DeadLettered.Keys)
        {
            contents.Active.Remove(sequence);
        }

        return contents;
    }

    static void Apply(JournalContents contents, byte[] record)
    {
        using var reader = new BinaryReader(new MemoryStream(record), Encoding.UTF8);
        byte type = reader.ReadByte();
        switch (type)
        {
            case StoredRecord:
            {
                bool deadLetter = reader.ReadBoolean();
                long sequence = reader.ReadInt64();
                long enqueued = reader.ReadInt64();
                long scheduled = reader.ReadInt64();
                long ttl = reader.ReadInt64();
                int deliveryCount = reader.ReadInt32();
                string? messageId = ReadString(reader);
                string? reason = ReadString(reader);
                string? description = ReadString(reader);
                string? source = ReadString(reader);
                byte[] payload = reader.ReadBytes(reader.ReadInt32());
                var message = new BrokeredMessage(sequence, payload)
                {
                    MessageId = messageId,
                    EnqueuedTime = new DateTime(enqueued, DateTimeKind.Utc),
                    ScheduledEnqueueTime = scheduled < 0 ? null : new DateTime(scheduled, DateTimeKind.Utc),
                    TimeToLive = ttl < 0 ? null : TimeSpan.FromTicks(ttl),
                    DeliveryCount = deliveryCount,
                    InDeadLetterQueue = deadLetter,
                    DeadLetterReason = reason,
                    DeadLetterErrorDescription = description,
                    DeadLetterSource = source,
                };
                (deadLetter ? contents.DeadLettered : contents.Active)[sequence] = message;
                contents.NextSequenceNumber = Math.Max(contents.NextSequenceNumber, sequence + 1);
                if (messageId is not null && !deadLetter)
                {
                    contents.SeenMessageIds[messageId] = message.EnqueuedTime;
                }

                break;
            }

            case RemovedRecord:
            {
                bool deadLetter = reader.ReadBoolean();
                (deadLetter ? contents.DeadLettered : contents.Active).Remove(reader.ReadInt64());
                break;
            }

            case DeliveryCountRecord:
            {
                bool deadLetter = reader.ReadBoolean();
                long sequence = reader.ReadInt64();
                int count = reader.ReadInt32();
                if ((deadLetter ? contents.DeadLettered : contents.Active).TryGetValue(sequence, out var message))
                {
                    message.DeliveryCount = count;
                }

                break;
            }

            case SeenRecord:
            {
                string id = reader.ReadString();
                var seen = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
                if (!contents.SeenMessageIds.TryGetValue(id, out var known) || known < seen)
                {
                    contents.SeenMessageIds[id] = seen;
                }

                break;
            }

            case NextSequenceRecord:
                contents.NextSequenceNumber = Math.Max(contents.NextSequenceNumber, reader.ReadInt64());
                break;

            default:
                throw new InvalidDataException($"unknown journal record type {type}");
        }
    }

    static string? ReadString(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
