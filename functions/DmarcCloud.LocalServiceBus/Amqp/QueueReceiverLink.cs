using DmarcCloud.LocalServiceBus.Messaging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Transaction;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>
/// A receiver on a queue or its dead-letter queue: the broker's sending link. Delivery tags are lock tokens
/// (16 GUID bytes); settlements arrive as dispositions and are answered with a settled Accepted, or Rejected
/// with message-lock-lost (shared notes, facts 7, 8, 10).
/// </summary>
internal sealed class QueueReceiverLink : IMessageConsumer
{
    readonly SendingAmqpLink link;
    readonly QueueEntity queue;
    readonly bool deadLetterQueue;

    public QueueReceiverLink(SendingAmqpLink link, QueueEntity queue, bool deadLetterQueue)
    {
        this.link = link;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        link.RegisterCreditListener((_, _, _) => queue.OnCredit(deadLetterQueue));
        link.RegisterDispositionListener(OnDisposition);
        link.SafeAddClosed((_, _) => queue.RemoveConsumer(this));
        queue.AddConsumer(this, deadLetterQueue);
    }

    public bool ReceiveAndDelete => link.Settings.SettleType == SettleMode.SettleOnSend;

    public int Capacity => link.State == AmqpObjectState.Opened ? (int)Math.Max(0, (long)link.LinkCredit - link.Available) : 0;

    public bool TryDeliver(BrokeredMessage message, Guid deliveryTag, DateTime? lockedUntil)
    {
        try
        {
            var copy = MessageCodec.ForDelivery(message, lockedUntil);
            link.SendMessageNoWait(copy, new ArraySegment<byte>(deliveryTag.ToByteArray()), AmqpConstants.NullBinary);
            return true;
        }
        catch (Exception ex) when (ex is AmqpException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    void OnDisposition(Delivery delivery)
    {
        var state = delivery.State;
        if (state is null || state.DescriptorCode == Received.Code)
        {
            return;
        }

        Outcome outcome;
        if (state is TransactionalState || delivery.DeliveryTag.Count != 16)
        {
            outcome = ServiceBusErrors.Reject(AmqpErrorCode.NotImplemented, "Transactional settlement is not supported by the local Service Bus.");
        }
        else
        {
            var token = new Guid(delivery.DeliveryTag.AsSpan());
            try
            {
                var result = Settle(token, state);
                outcome = result switch
                {
                    SettlementResult.Settled when state is Released => AmqpConstants.ReleasedOutcome,
                    SettlementResult.Settled => AmqpConstants.AcceptedOutcome,
                    SettlementResult.LockLost => ServiceBusErrors.Reject(ServiceBusErrors.MessageLockLost, ServiceBusErrors.LockLostDescription),
                    _ => ServiceBusErrors.Reject(AmqpErrorCode.NotImplemented, "Deferring messages is not supported by the local Service Bus."),
                };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AmqpException)
            {
                // The journal could not record it, or properties-to-modify could not be encoded: the SDK sees a
                // failed settlement; at worst the lock expires and the message is delivered again.
                outcome = ServiceBusErrors.Reject(AmqpErrorCode.InternalError, $"The local Service Bus could not settle the message: {ex.Message}");
            }
        }

        if (!delivery.Settled)
        {
            link.DisposeDelivery(delivery, true, outcome);
        }
    }

    SettlementResult Settle(Guid token, DeliveryState state) =>
        state switch
        {
            Accepted => queue.Settle(token, Settlement.Complete),
            Rejected rejected => queue.Settle(
                token,
                Settlement.DeadLetter,
                InfoString(rejected.Error?.Info, MessageCodec.DeadLetterReasonName),
                InfoString(rejected.Error?.Info, MessageCodec.DeadLetterErrorDescriptionName),
                PropertiesToModify(rejected.Error?.Info, skipDeadLetterKeys: true)),
            Modified { UndeliverableHere: true } => queue.Settle(token, Settlement.Defer),
            Modified modified => queue.Settle(token, Settlement.Abandon, propertiesToModify: PropertiesToModify(modified.MessageAnnotations, skipDeadLetterKeys: false)),
            Released => queue.Settle(token, Settlement.Release),
            _ => SettlementResult.NotSupported,
        };

    static string? InfoString(Fields? info, string key) =>
        info is not null && info.TryGetValue<string>(key, out var value) ? value : null;

    internal static List<KeyValuePair<string, object?>>? PropertiesToModify(Fields? fields, bool skipDeadLetterKeys)
    {
        if (fields is null || fields.Count == 0)
        {
            return null;
        }

        var result = new List<KeyValuePair<string, object?>>();
        foreach (var pair in fields)
        {
            var key = pair.Key.Key?.ToString();
            if (key is null || (skipDeadLetterKeys && key is MessageCodec.DeadLetterReasonName or MessageCodec.DeadLetterErrorDescriptionName))
            {
                continue;
            }

            result.Add(new KeyValuePair<string, object?>(key, pair.Value));
        }

        return result;
    }
}
