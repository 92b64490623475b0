using DmarcCloud.LocalServiceBus.Messaging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>
/// A sender to a queue: the broker's receiving link. A batched transfer (message format 0x80013700) carries
/// one encoded message per data section (shared notes, fact 5); all of them are stored or none.
/// </summary>
internal sealed class QueueSenderLink
{
    readonly ReceivingAmqpLink link;
    readonly QueueEntity queue;

    public QueueSenderLink(ReceivingAmqpLink link, QueueEntity queue)
    {
        this.link = link;
        this.queue = queue;
        link.RegisterMessageListener(OnMessage);
    }

    void OnMessage(AmqpMessage message)
    {
        DeliveryState outcome;
        try
        {
            outcome = Store(message);
        }
        catch (AmqpException ex)
        {
            outcome = new Rejected { Error = ex.Error };
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The journal could not be written: the sender sees a retriable server error and nothing is stored.
            outcome = ServiceBusErrors.Reject(AmqpErrorCode.InternalError, $"The local Service Bus could not store the message: {ex.Message}");
        }

        try
        {
            if (!message.Settled)
            {
                link.DisposeMessage(message, outcome, true, message.Batchable);
            }
        }
        finally
        {
            message.Dispose();
        }
    }

    Outcome Store(AmqpMessage message)
    {
        if (message.TxnId.Array is not null)
        {
            throw ServiceBusErrors.NotSupported("Sending within a transaction");
        }

        List<byte[]> payloads;
        if (message.MessageFormat == AmqpConstants.AmqpBatchedMessageFormat)
        {
            payloads = message.DataBody.Select(d => d.Value is ArraySegment<byte> bytes ? bytes.ToArray() : []).ToList();
        }
        else
        {
            payloads = [MessageCodec.Capture(message)];
        }

        long size = payloads.Sum(p => (long)p.Length);
        if (size > queue.Options.MaxMessageSizeInBytes)
        {
            return ServiceBusErrors.Reject(
                AmqpErrorCode.MessageSizeExceeded,
                $"The message of {size} bytes exceeds the limit of {queue.Options.MaxMessageSizeInBytes} bytes of queue '{queue.Name}'.");
        }

        queue.Enqueue(payloads);
        return AmqpConstants.AcceptedOutcome;
    }
}
