using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace DmarcCloud.LocalServiceBus.Messaging;

/// <summary>
/// Reads what the broker needs from a sender's encoded message and builds the copies it delivers, with the
/// annotations the SDK reads (shared notes "service-bus-amqp-local", fact 9).
/// </summary>
internal static class MessageCodec
{
    public static readonly AmqpSymbol SequenceNumberName = "x-opt-sequence-number";
    public static readonly AmqpSymbol EnqueuedTimeName = "x-opt-enqueued-time";
    public static readonly AmqpSymbol LockedUntilName = "x-opt-locked-until";
    public static readonly AmqpSymbol ScheduledEnqueueTimeName = "x-opt-scheduled-enqueue-time";
    public static readonly AmqpSymbol DeadLetterSourceName = "x-opt-deadletter-source";
    public static readonly AmqpSymbol MessageStateName = "x-opt-message-state";
    public const string DeadLetterReasonName = "DeadLetterReason";
    public const string DeadLetterErrorDescriptionName = "DeadLetterErrorDescription";

    /// <summary>What the broker reads from a message when it accepts it.</summary>
    public readonly record struct Facts(string? MessageId, TimeSpan? TimeToLive, DateTime? ScheduledEnqueueTime);

    /// <summary>Decodes an encoded message (all sections).</summary>
    public static AmqpMessage Decode(byte[] payload)
    {
        var message = AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([new ArraySegment<byte>(payload)]), true);
        message.Deserialize(SectionFlag.All);
        return message;
    }

    /// <summary>Reads message id, TTL and scheduled time; throws <see cref="AmqpException"/> (decode-error) on a malformed message.</summary>
    public static Facts Inspect(byte[] payload)
    {
        try
        {
            using var message = Decode(payload);
            string? messageId = Has(message, SectionFlag.Properties) ? message.Properties.MessageId?.ToString() : null;
            TimeSpan? ttl = Has(message, SectionFlag.Header) && message.Header.Ttl is { } ms && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;
            DateTime? scheduled = null;
            if (Has(message, SectionFlag.MessageAnnotations)
                && message.MessageAnnotations.Map.TryGetValue(ScheduledEnqueueTimeName, out object? value)
                && value is DateTime time)
            {
                scheduled = DateTime.SpecifyKind(time, DateTimeKind.Utc);
            }

            return new Facts(messageId, ttl, scheduled);
        }
        catch (Exception ex) when (ex is not AmqpException and not OperationCanceledException)
        {
            throw new AmqpException(AmqpErrorCode.DecodeError, $"The message could not be decoded: {ex.Message}");
        }
    }

    /// <summary>Encodes a message into the bytes the journal keeps and peek returns.</summary>
    public static byte[] Encode(AmqpMessage message)
    {
        using var stream = message.ToStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// The copy of <paramref name="stored"/> to put on the wire: the sender's sections plus a header with the
    /// delivery count and the broker's annotations; <paramref name="lockedUntil"/> for PeekLock deliveries.
    /// </summary>
    public static AmqpMessage ForDelivery(BrokeredMessage stored, DateTime? lockedUntil)
    {
        using var source = Decode(stored.Payload);
        var message = CopyBody(source);
        CopySections(source, message);

        message.Header.DeliveryCount = (uint)Math.Max(0, stored.DeliveryCount);
        if (stored.TimeToLive is { } ttl)
        {
            message.Header.Ttl = (uint)Math.Min(uint.MaxValue, ttl.TotalMilliseconds);
        }

        var annotations = message.MessageAnnotations.Map;
        annotations[SequenceNumberName] = stored.SequenceNumber;
        annotations[EnqueuedTimeName] = stored.ActiveTime;
        if (stored.ScheduledEnqueueTime is { } scheduled)
        {
            annotations[ScheduledEnqueueTimeName] = scheduled;
        }

        if (stored.State == MessageState.Scheduled)
        {
            annotations[MessageStateName] = 2; // ServiceBusMessageState.Scheduled (peek shows scheduled messages)
        }

        if (lockedUntil is { } until)
        {
            annotations[LockedUntilName] = until;
        }

        if (stored.DeadLetterSource is { } deadLetterSource)
        {
            annotations[DeadLetterSourceName] = deadLetterSource;
        }

        if (stored.InDeadLetterQueue)
        {
            var properties = message.ApplicationProperties.Map;
            if (stored.DeadLetterReason is { } reason)
            {
                properties[new MapKey(DeadLetterReasonName)] = reason;
            }

            if (stored.DeadLetterErrorDescription is { } description)
            {
                properties[new MapKey(DeadLetterErrorDescriptionName)] = description;
            }
        }

        return message;
    }

    /// <summary>Encodes a message received on a link (its sections, as the sender set them) for storage.</summary>
    public static byte[] Capture(AmqpMessage received)
    {
        try
        {
            received.Deserialize(SectionFlag.All);
            using var message = CopyBody(received);
            CopySections(received, message);
            return Encode(message);
        }
        catch (Exception ex) when (ex is not AmqpException and not OperationCanceledException)
        {
            throw new AmqpException(AmqpErrorCode.DecodeError, $"The message could not be decoded: {ex.Message}");
        }
    }

    /// <summary>Returns the payload with application properties set from <paramref name="propertiesToModify"/> (abandon/dead-letter "properties to modify").</summary>
    public static byte[] WithApplicationProperties(byte[] payload, IEnumerable<KeyValuePair<string, object?>> propertiesToModify)
    {
        using var source = Decode(payload);
        using var message = CopyBody(source);
        CopySections(source, message);
        if (Has(source, SectionFlag.Header))
        {
            CopyHeader(source.Header, message.Header);
        }

        foreach (var (key, value) in propertiesToModify)
        {
            message.ApplicationProperties.Map[new MapKey(key)] = value;
        }

        return Encode(message);
    }

    static bool Has(AmqpMessage message, SectionFlag section) => (message.Sections & section) != 0;

    static AmqpMessage CopyBody(AmqpMessage source)
    {
        if (Has(source, SectionFlag.Data))
        {
            var sections = new List<Data>();
            foreach (var data in source.DataBody)
            {
                var segment = data.Value is ArraySegment<byte> bytes ? bytes.ToArray() : [];
                sections.Add(new Data { Value = new ArraySegment<byte>(segment) });
            }

            return AmqpMessage.Create(sections);
        }

        if (Has(source, SectionFlag.AmqpValue))
        {
            return AmqpMessage.Create(new AmqpValue { Value = source.ValueBody.Value });
        }

        if (Has(source, SectionFlag.AmqpSequence))
        {
            return AmqpMessage.Create(source.SequenceBody.Select(s => new AmqpSequence(s.List)).ToList());
        }

        return AmqpMessage.Create();
    }

    static void CopySections(AmqpMessage source, AmqpMessage target)
    {
        if (Has(source, SectionFlag.Header))
        {
            CopyHeader(source.Header, target.Header);
        }

        if (Has(source, SectionFlag.MessageAnnotations))
        {
            foreach (var pair in source.MessageAnnotations.Map)
            {
                target.MessageAnnotations.Map[pair.Key] = pair.Value;
            }
        }

        if (Has(source, SectionFlag.Properties))
        {
            var from = source.Properties;
            var to = target.Properties;
            to.MessageId = from.MessageId;
            to.UserId = from.UserId;
            to.To = from.To;
            to.Subject = from.Subject;
            to.ReplyTo = from.ReplyTo;
            to.CorrelationId = from.CorrelationId;
            to.ContentType = from.ContentType;
            to.ContentEncoding = from.ContentEncoding;
            to.AbsoluteExpiryTime = from.AbsoluteExpiryTime;
            to.CreationTime = from.CreationTime;
            to.GroupId = from.GroupId;
            to.GroupSequence = from.GroupSequence;
            to.ReplyToGroupId = from.ReplyToGroupId;
        }

        if (Has(source, SectionFlag.ApplicationProperties))
        {
            foreach (var pair in source.ApplicationProperties.Map)
            {
                target.ApplicationProperties.Map[pair.Key] = pair.Value;
            }
        }
    }

    static void CopyHeader(Header from, Header to)
    {
        to.Durable = from.Durable;
        to.Priority = from.Priority;
        to.Ttl = from.Ttl;
        to.FirstAcquirer = from.FirstAcquirer;
        to.DeliveryCount = from.DeliveryCount;
    }
}
