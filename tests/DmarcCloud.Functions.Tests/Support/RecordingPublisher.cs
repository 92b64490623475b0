using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.Functions.Tests;

/// <summary>
/// Keeps what the app sends to Service Bus, per queue, so a test can read it; <see cref="FailNext"/> makes sends
/// throw like an unreachable namespace. Stands in for the broker only where the broker is not under test.
/// </summary>
internal sealed class RecordingPublisher : IServiceBusPublisher
{
    private readonly ConcurrentQueue<(string Queue, ServiceBusMessage Message)> _sent = new();

    /// <summary>How many of the next sends throw <see cref="ServiceBusException"/> (ServiceCommunicationProblem).</summary>
    public int FailNext { get; set; }

    public Task SendAsync(string queue, IReadOnlyList<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (FailNext > 0)
        {
            FailNext--;
            throw new ServiceBusException("the namespace is unreachable (test)", ServiceBusFailureReason.ServiceCommunicationProblem);
        }

        foreach (var message in messages)
        {
            _sent.Enqueue((queue, message));
        }

        return Task.CompletedTask;
    }

    public IReadOnlyList<ServiceBusMessage> On(string queue) => [.. _sent.Where(s => s.Queue == queue).Select(s => s.Message)];
}
