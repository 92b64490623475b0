using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Messaging.ServiceBus;

namespace DmarcCloud.Azure.Messaging;

/// <summary>
/// Sends JSON messages to Service Bus queues with one cached <see cref="ServiceBusSender"/> per queue, in as few
/// batches as fit. Every message carries a MessageId derived from what it is about, so a retried send is dropped by
/// the queue's duplicate detection instead of being delivered twice.
/// </summary>
public sealed class ServiceBusPublisher : IServiceBusPublisher, IAsyncDisposable
{
    private readonly ServiceBusClient _client;
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    /// <summary>Creates a publisher over <paramref name="client"/>.</summary>
    public ServiceBusPublisher(ServiceBusClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>A JSON message (<c>application/json</c>) with <paramref name="messageId"/>.</summary>
    public static ServiceBusMessage CreateJsonMessage<T>(T body, JsonTypeInfo<T> type, string messageId, string? subject = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(body, type))
        {
            MessageId = messageId,
            ContentType = "application/json",
            Subject = subject,
        };
    }

    /// <inheritdoc />
    public async Task SendAsync(string queue, IReadOnlyList<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var sender = _senders.GetOrAdd(queue, _client.CreateSender);
        if (messages.Count == 1)
        {
            await sender.SendMessageAsync(messages[0], cancellationToken).ConfigureAwait(false);
            return;
        }

        var next = 0;
        while (next < messages.Count)
        {
            using var batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
            while (next < messages.Count && batch.TryAddMessage(messages[next]))
            {
                next++;
            }

            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"message {messages[next].MessageId} is larger than a Service Bus batch on '{queue}' allows");
            }

            await sender.SendMessagesAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }

        _senders.Clear();
    }
}
