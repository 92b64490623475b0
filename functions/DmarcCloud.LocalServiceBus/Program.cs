using DmarcCloud.LocalServiceBus;
using DmarcCloud.LocalServiceBus.Configuration;

// dotnet DmarcCloud.LocalServiceBus.dll [--config queues.json] [--port 0] [--data <dir>]
// Prints the connection string on the first line of stdout, then serves until Ctrl-C / SIGTERM.
string config = Path.Combine(AppContext.BaseDirectory, "queues.json");
int port = 0;
string? data = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--config":
            config = Next();
            break;
        case "--port":
            port = int.TryParse(Next(), out var p) && p is >= 0 and <= 65535 ? p : throw new ArgumentException("--port must be 0..65535.");
            break;
        case "--data":
            data = Next();
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: DmarcCloud.LocalServiceBus [--config <queues.json>] [--port <port, 0 = free>] [--data <dir, default: memory only>]");
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}' (try --help)");
            return 2;
    }
}

var options = new LocalServiceBusOptions { Port = port, DataDirectory = data };
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
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

await using var broker = await LocalServiceBusBroker.StartAsync(options);
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
