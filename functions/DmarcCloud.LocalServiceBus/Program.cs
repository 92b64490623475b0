using System.Runtime.InteropServices;
using DmarcCloud.LocalServiceBus;
using DmarcCloud.LocalServiceBus.Configuration;

// dotnet DmarcCloud.LocalServiceBus.dll [--config queues.json] [--port 0] [--data <dir>]
// Prints the connection string on the first line of stdout, then serves until Ctrl-C / SIGTERM.
string config = Path.Combine(AppContext.BaseDirectory, "queues.json");
int port = 0;
string? data = null;
for (int i = 0; i < args.Length; i++)
{
    string? Next() => i + 1 < args.Length ? args[++i] : null;
    switch (args[i])
    {
        case "--config":
            config = Next() ?? string.Empty;
            if (config.Length == 0)
            {
                return Usage("--config needs a file");
            }

            break;
        case "--port":
            if (!int.TryParse(Next(), out port) || port is < 0 or > 65535)
            {
                return Usage("--port needs a number 0..65535 (0 = a free port)");
            }

            break;
        case "--data":
            data = Next();
            if (string.IsNullOrEmpty(data))
            {
                return Usage("--data needs a folder");
            }

            break;
        case "-h" or "--help":
            Console.WriteLine("usage: DmarcCloud.LocalServiceBus [--config <queues.json>] [--port <port, 0 = free>] [--data <dir, default: memory only>]");
            return 0;
        default:
            return Usage($"unknown argument '{args[i]}'");
    }
}

var options = new LocalServiceBusOptions { Port = port, DataDirectory = data, Log = Console.Error };
try
{
    foreach (var queue in await QueueConfigFile.LoadAsync(config))
    {
        options.Queues.Add(queue);
    }
}
catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"cannot read the queue configuration: {ex.Message}");
    return 2;
}

using var stop = new CancellationTokenSource();
// Ctrl-C (SIGINT) and SIGTERM stop cleanly: connections closed, journals closed, exit code 0.
void RequestStop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

LocalServiceBusBroker started;
try
{
    started = await LocalServiceBusBroker.StartAsync(options);
}
catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
{
    Console.Error.WriteLine($"cannot start the local Service Bus: {ex.Message}");
    return 2;
}

await using var broker = started;
Console.WriteLine(broker.ConnectionString);
Console.Error.WriteLine($"local Service Bus on 127.0.0.1:{broker.Port}; queues: {string.Join(", ", broker.QueueNames)}; data: {data ?? "(memory only)"}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await broker.StopAsync();
Console.Error.WriteLine("local Service Bus stopped");
return 0;

static int Usage(string problem)
{
    Console.Error.WriteLine($"{problem} (try --help)");
    return 2;
}
