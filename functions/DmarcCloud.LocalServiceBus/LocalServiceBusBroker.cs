using System.Net;
using System.Net.Sockets;
using DmarcCloud.LocalServiceBus.Amqp;
using DmarcCloud.LocalServiceBus.Configuration;
using DmarcCloud.LocalServiceBus.Messaging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;

namespace DmarcCloud.LocalServiceBus;

/// <summary>
/// A local stand-in for Azure Service Bus queues that the unmodified Azure.Messaging.ServiceBus SDK talks to
/// over AMQP 1.0 on 127.0.0.1 (docs/local-servicebus.md). Start one with <see cref="StartAsync"/>, hand
/// <see cref="ConnectionString"/> to a <c>ServiceBusClient</c>, dispose it to stop. With a
/// <see cref="LocalServiceBusOptions.DataDirectory"/>, messages survive a restart on the same folder.
/// </summary>
public sealed class LocalServiceBusBroker : IAsyncDisposable
{
    readonly Dictionary<string, QueueEntity> queues;
    readonly BrokerRuntime runtime;
    readonly TextWriter? log;
    readonly CancellationTokenSource stopping = new();
    TransportListener? listener;
    Task sweeper = Task.CompletedTask;
    int stopped;

    LocalServiceBusBroker(Dictionary<string, QueueEntity> queues, int port, TextWriter? log)
    {
        this.queues = queues;
        this.log = log;
        Port = port;
        runtime = new BrokerRuntime(queues);
    }

    /// <summary>The TCP port the broker listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The connection string for <c>new ServiceBusClient(...)</c>: plain TCP, any key accepted.</summary>
    public string ConnectionString =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true";

    /// <summary>The configured queue names.</summary>
    public IReadOnlyCollection<string> QueueNames => queues.Keys;

    /// <summary>
    /// Opens the queues (replaying and compacting their journals) and starts listening. Port 0 picks a free port.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (bad queue settings, duplicate names).</exception>
    public static async Task<LocalServiceBusBroker> StartAsync(LocalServiceBusOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.DataDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var queues = new Dictionary<string, QueueEntity>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var queue in options.Queues)
            {
                cancellationToken.ThrowIfCancellationRequested();
                queues.Add(queue.Name, new QueueEntity(queue, options.TimeProvider, options.DataDirectory, options.Log));
            }
        }
        catch
        {
            foreach (var queue in queues.Values)
            {
                queue.Dispose();
            }

            throw;
        }

        var broker = new LocalServiceBusBroker(queues, options.Port, options.Log);
        try
        {
            await broker.ListenAsync(options.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        broker.sweeper = broker.SweepAsync(options.SweepInterval, options.TimeProvider);
        return broker;
    }

    /// <summary>Counts of one queue (active incl. scheduled, dead-lettered, locked), for tests and tools.</summary>
    public (int Active, int DeadLettered, int Locked) GetCounts(string queueName) =>
        queues.TryGetValue(queueName, out var queue) ? queue.Counts : throw new ArgumentException($"No queue '{queueName}'.", nameof(queueName));

    /// <summary>Stops listening, closes every connection and the journals. Unsettled locks are released (the next start finds the messages again).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        listener?.SafeClose();
        runtime.CloseAll();
        try
        {
            await sweeper.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        foreach (var queue in queues.Values)
        {
            queue.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var settings = new AmqpSettings { RuntimeProvider = runtime };
        var version = new AmqpVersion(1, 0, 0);
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(version);
        // The SDK offers exactly one mechanism, MSSBCBS, carrying no credentials (shared notes, fact 1).
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));
        sasl.AddHandler(new SaslAnonymousHandler());
        settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(version);
        settings.TransportProviders.Add(amqp);

        // Port 0: probe a free port, then bind it; another process may take it in between, so retry.
        for (int attempt = 1; ; attempt++)
        {
            int candidate = port == 0 ? FreePort() : port;
            var tcp = new TcpTransportSettings { Host = IPAddress.Loopback.ToString(), Port = candidate };
            var transportListener = new AmqpTransportListener([tcp.CreateListener()], settings);
            try
            {
                EnsureNoListener(candidate);
                transportListener.Listen((l, args) => runtime.Accept(l, args, settings));
                listener = transportListener;
                Port = candidate;
                return;
            }
            catch (SocketException) when (port == 0 && attempt < 5)
            {
                transportListener.SafeClose();
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Throws when something already listens on <paramref name="port"/>. Needed because the AMQP listener sets
    /// ReuseAddress, which .NET maps to SO_REUSEPORT on Linux: a second broker would otherwise share the port
    /// silently. The probe sets SO_REUSEADDR only, so connections of a previous run in TIME_WAIT do not block
    /// a restart on the same port.
    /// </summary>
    static void EnsureNoListener(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (OperatingSystem.IsLinux())
        {
            probe.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
        }

        probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
    }

    static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    async Task SweepAsync(TimeSpan interval, TimeProvider clock)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                foreach (var queue in queues.Values)
                {
                    try
                    {
                        queue.Sweep();
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
                    {
                        // A journal write failed: the change is not applied; the next sweep tries again.
                        log?.WriteLine($"local Service Bus: sweeping queue '{queue.Name}' failed: {ex.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
