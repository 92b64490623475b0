using System.Collections;
using DmarcCloud.LocalServiceBus.Messaging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>
/// An entity's <c>$management</c> node: the request-response operations the SDK uses for lock renewal, peek,
/// scheduling and settling by lock token (shared notes, fact 11). Every other operation is answered
/// 501 with <c>amqp:not-implemented</c>, which the SDK throws as NotSupportedException.
/// </summary>
internal sealed class ManagementNode(QueueEntity queue, bool deadLetterQueue)
{
    const string Prefix = "com.microsoft:";
    static readonly MapKey LockTokens = new("lock-tokens");
    static readonly MapKey SequenceNumbers = new("sequence-numbers");
    static readonly MapKey Messages = new("messages");
    static readonly MapKey Message = new("message");
    static readonly MapKey FromSequenceNumber = new("from-sequence-number");
    static readonly MapKey MessageCount = new("message-count");
    static readonly MapKey DispositionStatus = new("disposition-status");
    static readonly MapKey DeadLetterReason = new("deadletter-reason");
    static readonly MapKey DeadLetterDescription = new("deadletter-description");
    static readonly MapKey PropertiesToModify = new("properties-to-modify");

    public AmqpMessage Handle(AmqpMessage request)
    {
        string operation = request.ApplicationProperties?.Map.TryGetValue<string>("operation", out var name) == true ? name : string.Empty;
        var body = request.ValueBody?.Value as AmqpMap ?? new AmqpMap();
        try
        {
            return operation switch
            {
                Prefix + "renew-lock" => RenewLock(body),
                Prefix + "peek-message" => Peek(body),
                Prefix + "schedule-message" when !deadLetterQueue => Schedule(body),
                Prefix + "cancel-scheduled-message" when !deadLetterQueue => Cancel(body),
                Prefix + "update-disposition" => UpdateDisposition(body),
                _ => Error(501, AmqpErrorCode.NotImplemented, $"The operation '{operation}' is not supported by the local Service Bus (docs/local-servicebus.md)."),
            };
        }
        catch (AmqpException ex)
        {
            return Error(ex.Error.Condition.Equals(AmqpErrorCode.MessageSizeExceeded) ? 403 : 400, ex.Error.Condition, ex.Error.Description);
        }
        catch (Exception ex) when (ex is InvalidCastException or KeyNotFoundException or FormatException or OverflowException or ArgumentException)
        {
            return Error(400, "com.microsoft:argument-error", $"The '{operation}' request is malformed: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Error(500, AmqpErrorCode.InternalError, $"The local Service Bus could not write its journal: {ex.Message}");
        }
    }

    AmqpMessage RenewLock(AmqpMap body)
    {
        var tokens = Guids(body[LockTokens]);
        var expirations = new DateTime[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (queue.RenewLock(tokens[i]) is not { } until)
            {
                return Error(410, ServiceBusErrors.MessageLockLost, ServiceBusErrors.LockLostDescription);
            }

            expirations[i] = until;
        }

        return Ok(new AmqpMap { [new MapKey("expirations")] = expirations });
    }

    AmqpMessage Peek(AmqpMap body)
    {
        long from = Convert.ToInt64(body[FromSequenceNumber] ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        int count = Convert.ToInt32(body[MessageCount] ?? 1, System.Globalization.CultureInfo.InvariantCulture);
        var peeked = queue.Peek(deadLetterQueue, from, Math.Clamp(count, 1, 1000));
        if (peeked.Count == 0)
        {
            return Error(204, null, "No messages to peek.");
        }

        var list = new List<object>(peeked.Count);
        foreach (var bytes in peeked)
        {
            list.Add(new AmqpMap { [Message] = new ArraySegment<byte>(bytes) });
        }

        return Ok(new AmqpMap { [Messages] = list });
    }

    AmqpMessage Schedule(AmqpMap body)
    {
        var entries = (IEnumerable)(body[Messages] ?? throw new KeyNotFoundException("messages"));
        var payloads = new List<byte[]>();
        foreach (var entry in entries)
        {
            var map = (AmqpMap)entry;
            payloads.Add(((ArraySegment<byte>)map[Message]!).ToArray());
        }

        long size = payloads.Sum(p => (long)p.Length);
        if (size > queue.Options.MaxMessageSizeInBytes)
        {
            return Error(403, AmqpErrorCode.MessageSizeExceeded, $"The messages of {size} bytes exceed the limit of {queue.Options.MaxMessageSizeInBytes} bytes.");
        }

        var numbers = queue.Enqueue(payloads);
        return Ok(new AmqpMap { [SequenceNumbers] = numbers.ToArray() });
    }

    AmqpMessage Cancel(AmqpMap body)
    {
        var numbers = body[SequenceNumbers] switch
        {
            long[] array => array,
            IEnumerable items => items.Cast<object>().Select(o => Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            _ => throw new KeyNotFoundException("sequence-numbers"),
        };
        queue.CancelScheduled(numbers);
        return Ok(new AmqpMap());
    }

    AmqpMessage UpdateDisposition(AmqpMap body)
    {
        var tokens = Guids(body[LockTokens]);
        string status = body[DispositionStatus] as string ?? string.Empty;
        var settlement = status.ToLowerInvariant() switch
        {
            "completed" => Settlement.Complete,
            "abandoned" => Settlement.Abandon,
            "suspended" => Settlement.DeadLetter,
            "defered" or "deferred" => Settlement.Defer,
            _ => throw new FormatException($"unknown disposition-status '{status}'"),
        };
        List<KeyValuePair<string, object?>>? properties = null;
        if (body[PropertiesToModify] is AmqpMap map)
        {
            properties = [];
            foreach (var pair in map)
            {
                properties.Add(new KeyValuePair<string, object?>(pair.Key.Key.ToString()!, pair.Value));
            }
        }

        foreach (var token in tokens)
        {
            var result = queue.Settle(token, settlement, body[DeadLetterReason] as string, body[DeadLetterDescription] as string, properties);
            if (result == SettlementResult.LockLost)
            {
                return Error(410, ServiceBusErrors.MessageLockLost, ServiceBusErrors.LockLostDescription);
            }

            if (result == SettlementResult.NotSupported)
            {
                return Error(501, AmqpErrorCode.NotImplemented, "Deferring messages is not supported by the local Service Bus.");
            }
        }

        return Ok(new AmqpMap());
    }

    static Guid[] Guids(object? value) => value switch
    {
        Guid[] array => array,
        IEnumerable items => items.Cast<object>().Select(o => o is Guid g ? g : Guid.Parse(o.ToString()!)).ToArray(),
        _ => throw new KeyNotFoundException("lock-tokens"),
    };

    static AmqpMessage Ok(AmqpMap body) => Reply(200, null, "OK", body);

    static AmqpMessage Error(int status, AmqpSymbol? condition, string description) => Reply(status, condition, description, new AmqpMap());

    static AmqpMessage Reply(int status, AmqpSymbol? condition, string description, AmqpMap body)
    {
        var reply = AmqpMessage.Create(new AmqpValue { Value = body });
        reply.ApplicationProperties.Map[new MapKey("statusCode")] = status;
        reply.ApplicationProperties.Map[new MapKey("statusDescription")] = description;
        if (condition is { } symbol)
        {
            reply.ApplicationProperties.Map[new MapKey("errorCondition")] = symbol;
        }

        return reply;
    }
}
