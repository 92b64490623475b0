using Azure.Messaging.ServiceBus;
using DmarcCloud.LocalServiceBus.Configuration;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>A broker on a free port with test queues (short locks) and an SDK client on it; disposed after each test.</summary>
internal sealed class BrokerFixture : IAsyncDisposable
{
    /// <summary>Generous on a loaded machine; a wait this long means a hang.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    BrokerFixture(LocalServiceBusBroker broker, LocalServiceBusOptions options)
    {
        Broker = broker;
        Options = options;
        Client = NewClient(broker);
    }

    public LocalServiceBusBroker Broker { get; private set; }

    public LocalServiceBusOptions Options { get; }

    public ServiceBusClient Client { get; private set; }

    public static async Task<BrokerFixture> StartAsync(Action<LocalServiceBusOptions>? configure = null)
    {
        var options = new LocalServiceBusOptions();
        options.AddQueue("orders", q => q.LockDuration = TimeSpan.FromSeconds(5));
        configure?.Invoke(options);
        var broker = await LocalServiceBusBroker.StartAsync(options);
        return new BrokerFixture(broker, options);
    }

    public static ServiceBusClient NewClient(LocalServiceBusBroker broker) =>
        new(broker.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100), TryTimeout = TimeSpan.FromSeconds(15) },
        });

    /// <summary>Stops the broker and starts a new one on the same port and options (data directory).</summary>
    public async Task RestartAsync()
    {
        await Client.DisposeAsync();
        int port = Broker.Port;
        await Broker.DisposeAsync();
        Options.Port = port;
        Broker = await LocalServiceBusBroker.StartAsync(Options);
        Client = NewClient(Broker);
    }

    /// <summary>Stops the broker and starts it again on the same port and data, leaving the SDK client as it is (a broker outage).</summary>
    public async Task RestartBrokerOnlyAsync(TimeSpan? downtime = null)
    {
        int port = Broker.Port;
        await Broker.DisposeAsync();
        if (downtime is { } pause)
        {
            await Task.Delay(pause);
        }

        Options.Port = port;
        Broker = await LocalServiceBusBroker.StartAsync(Options);
    }

    public async Task<ServiceBusReceivedMessage> ReceiveOneAsync(ServiceBusReceiver receiver)
    {
        var message = await receiver.ReceiveMessageAsync(Patience);
        Assert.NotNull(message);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
