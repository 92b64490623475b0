namespace DmarcCloud.LocalServiceBus.Messaging;

/// <summary>A receiver attached to a queue (an AMQP sending link on the broker side).</summary>
internal interface IMessageConsumer
{
    /// <summary>ReceiveAndDelete (settled on send) rather than PeekLock.</summary>
    bool ReceiveAndDelete { get; }

    /// <summary>How many more messages the receiver asked for (link credit not yet used).</summary>
    int Capacity { get; }

    /// <summary>Puts the message on the wire with <paramref name="deliveryTag"/> (the lock token); false when the link is gone.</summary>
    bool TryDeliver(BrokeredMessage message, Guid deliveryTag, DateTime? lockedUntil);
}
