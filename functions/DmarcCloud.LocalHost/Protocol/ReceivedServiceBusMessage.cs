using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.LocalHost.Protocol;

/// <summary>A Service Bus message as received from its Azurite queue, with the broker-set values.</summary>
/// <param name="Envelope">The message (body, id, properties).</param>
/// <param name="DeliveryCount">The delivery count (the Azurite dequeue count, 1 on first delivery).</param>
/// <param name="SequenceNumber">The sequence number (derived from the insertion time: see docs/local-runner.md).</param>
/// <param name="EnqueuedTime">When the message was enqueued.</param>
/// <param name="ExpiresAt">When the message expires.</param>
public sealed record ReceivedServiceBusMessage(
    LocalServiceBusEnvelope Envelope, long DeliveryCount, long SequenceNumber, DateTimeOffset EnqueuedTime, DateTimeOffset ExpiresAt);
