using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.LocalHost.Bindings;

/// <summary>
/// The Azurite account the runner plays Storage and Service Bus with: clients per queue, table and container,
/// created on first use. Queue messages are plain text (<see cref="QueueMessageEncoding.None"/>) holding a
/// <see cref="LocalServiceBusEnvelope"/>.
/// </summary>
public sealed class LocalStorage(string connectionString)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<BlobContainerClient>>> _containers = new(StringComparer.Ordinal);

    /// <summary>The Azurite connection string.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>The Service Bus stand-in queue named <paramref name="name"/> (created if missing).</summary>
    public Task<QueueClient> QueueAsync(string name, CancellationToken cancellationToken = default) =>
        _queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(async () =>
        {
            var client = new QueueClient(ConnectionString, n, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
            await client.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return client;
        })).Value.WaitAsync(cancellationToken);

    /// <summary>The table named <paramref name="name"/> (created if missing).</summary>
    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken = default) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(async () =>
        {
            var client = new TableClient(ConnectionString, n);
            await client.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
            return client;
        })).Value.WaitAsync(cancellationToken);

    /// <summary>The blob container named <paramref name="name"/> (created if missing).</summary>
    public Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken = default) =>
        _containers.GetOrAdd(name, n => new Lazy<Task<BlobContainerClient>>(async () =>
        {
            var client = new BlobContainerClient(ConnectionString, n);
            await client.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return client;
        })).Value.WaitAsync(cancellationToken);

    /// <summary>Sends <paramref name="envelope"/> to the Service Bus stand-in queue <paramref name="queueName"/>.</summary>
    public async Task SendAsync(string queueName, LocalServiceBusEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var queue = await QueueAsync(queueName, cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(envelope.Encode(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
