using Azure.Messaging.ServiceBus;

namespace DmarcCloud.Azure.Messaging;

/// <summary>Sends messages to a Service Bus queue (the one narrow seam between the app's services and Service Bus).</summary>
public interface IServiceBusPublisher
{
    /// <summary>Sends <paramref name="messages"/> to <paramref name="queue"/>; nothing when empty. Throws on a transient fault.</summary>
    Task SendAsync(string queue, IReadOnlyList<ServiceBusMessage> messages, CancellationToken cancellationToken = default);
}
