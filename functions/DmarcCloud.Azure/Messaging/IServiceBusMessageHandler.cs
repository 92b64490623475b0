using Azure.Messaging.ServiceBus;

namespace DmarcCloud.Azure.Messaging;

/// <summary>
/// Handles one message of one Service Bus queue. Written against <see cref="ServiceBusReceivedMessage"/>, the type a
/// <c>[ServiceBusTrigger]</c> also binds, so moving from a timer drain to a trigger changes one attribute.
/// </summary>
public interface IServiceBusMessageHandler
{
    /// <summary>The queue this handler consumes.</summary>
    string QueueName { get; }

    /// <summary>
    /// Handles <paramref name="message"/>. Return <see cref="ServiceBusMessageOutcome.DeadLetter"/> for input that can
    /// never succeed and <see cref="ServiceBusMessageOutcome.Retry"/> (or throw) for transient faults.
    /// </summary>
    Task<ServiceBusMessageOutcome> HandleAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default);
}
