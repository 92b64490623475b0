using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>
/// Starts the real runner on TestData/App (whose handler is this test assembly) against the fixture's
/// Azurite, with queue and table names unique to the test so tests sharing one Azurite do not meet.
/// </summary>
internal sealed class RunnerHarness : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _log = new();

    private RunnerHarness(AzuriteFixture azurite, string id)
    {
        ConnectionString = azurite.ConnectionString;
        EchoQueue = $"echo-{id}";
        EchoTable = $"Echo{id}";
        TickQueue = $"ticks-{id}";
        InboundContainer = $"inbound-{id}";
        InboundQueue = $"inbound-mail-{id}";
    }

    public string ConnectionString { get; }

    public string EchoQueue { get; }

    public string EchoTable { get; }

    public string TickQueue { get; }

    public string InboundContainer { get; }

    public string InboundQueue { get; }

    public LocalFunctionsHost Host { get; private set; } = null!;

    public IReadOnlyCollection<string> Log => _log;

    public static string AppRoot => Path.Combine(AppContext.BaseDirectory, "TestData", "App");

    public static async Task<RunnerHarness> StartAsync(
        AzuriteFixture azurite, int maxDeliveryCount = 10, string tickSchedule = "0 0 0 1 1 *", string? id = null)
    {
        var harness = new RunnerHarness(azurite, id ?? Guid.NewGuid().ToString("N")[..10]);
        await harness.StartHostAsync(maxDeliveryCount, tickSchedule);
        return harness;
    }

    public async Task RestartAsync(int maxDeliveryCount = 10, string tickSchedule = "0 0 0 1 1 *")
    {
        await Host.DisposeAsync();
        await StartHostAsync(maxDeliveryCount, tickSchedule);
    }

    public QueueClient Queue(string name) => new(ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    public async Task SendAsync(string queue, LocalServiceBusEnvelope envelope)
    {
        var client = Queue(queue);
        await client.CreateIfNotExistsAsync();
        await client.SendMessageAsync(envelope.Encode());
    }

    /// <summary>Waits until <paramref name="queue"/> holds at least <paramref name="count"/> messages, then peeks them all.</summary>
    public async Task<IReadOnlyList<LocalServiceBusEnvelope>> WaitForMessagesAsync(string queue, int count, TimeSpan? timeout = null)
    {
        var client = Queue(queue);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await client.ExistsAsync())
            {
                PeekedMessage[] peeked = (await client.PeekMessagesAsync(32)).Value;
                if (peeked.Length >= count)
                {
                    return [.. peeked.Select(p => LocalServiceBusEnvelope.Decode(p.MessageText))];
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{queue} did not get {count} message(s) within the time limit. Runner log:\n{string.Join('\n', _log)}");
    }

    public async Task<int> CountAsync(string queue)
    {
        var client = Queue(queue);
        return await client.ExistsAsync() ? (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    public async Task<IReadOnlyList<TableEntity>> RowsAsync(string table)
    {
        var client = new TableClient(ConnectionString, table);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in client.QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return rows;
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out waiting for {what}. Runner log:\n{string.Join('\n', _log)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    private async Task StartHostAsync(int maxDeliveryCount, string tickSchedule)
    {
        Host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            AppRoot = AppRoot,
            FunctionsDirectory = AppRoot,
            StorageConnectionString = ConnectionString,
            MaxDeliveryCount = maxDeliveryCount,
            InboundContainer = InboundContainer,
            InboundQueue = InboundQueue,
            BlobPollInterval = TimeSpan.FromMilliseconds(100),
            SettingOverrides = new Dictionary<string, string>
            {
                ["EchoQueue"] = EchoQueue,
                ["EchoTable"] = EchoTable,
                ["TickQueue"] = TickQueue,
                ["TickSchedule"] = tickSchedule,
                ["InboundQueue"] = InboundQueue,
            },
            Log = _log.Enqueue,
        });
    }
}
