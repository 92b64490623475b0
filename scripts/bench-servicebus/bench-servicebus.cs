// Throughput of the local Service Bus through the real SDK (scripts/bench-servicebus.sh runs this file).
// Sends N messages in batches, then drains them with a ServiceBusProcessor (PeekLock, auto-complete),
// and prints messages/s for each phase. Not a unit test: numbers vary with the machine's load.
#:project ../../functions/DmarcCloud.LocalServiceBus/DmarcCloud.LocalServiceBus.csproj
#:package Azure.Messaging.ServiceBus
#:property PublishAot=false

using System.Diagnostics;
using Azure.Messaging.ServiceBus;
using DmarcCloud.LocalServiceBus;
using DmarcCloud.LocalServiceBus.Configuration;

int count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
int concurrency = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8;
string? data = args.Length > 2 ? args[2] : null;

var options = new LocalServiceBusOptions { DataDirectory = data };
options.AddQueue("bench");
await using var broker = await LocalServiceBusBroker.StartAsync(options);
await using var client = new ServiceBusClient(broker.ConnectionString);
await using var sender = client.CreateSender("bench");
var body = new byte[512];

var send = Stopwatch.StartNew();
int sent = 0;
while (sent < count)
{
    using var batch = await sender.CreateMessageBatchAsync();
    while (sent < count && batch.TryAddMessage(new ServiceBusMessage(body) { MessageId = sent.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
    {
        sent++;
    }

    await sender.SendMessagesAsync(batch);
}

send.Stop();
var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
int received = 0, errors = 0;
await using var processor = client.CreateProcessor("bench", new ServiceBusProcessorOptions { MaxConcurrentCalls = concurrency });
processor.ProcessMessageAsync += _ =>
{
    if (Interlocked.Increment(ref received) == count)
    {
        done.TrySetResult();
    }

    return Task.CompletedTask;
};
processor.ProcessErrorAsync += e =>
{
    Interlocked.Increment(ref errors);
    Console.Error.WriteLine($"processor error: {e.Exception.Message}");
    return Task.CompletedTask;
};
var receive = Stopwatch.StartNew();
await processor.StartProcessingAsync();
await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
receive.Stop();
await processor.StopProcessingAsync();

var left = broker.GetCounts("bench");
Console.WriteLine($"messages: {count} x {body.Length} B, journal: {(data is null ? "none (memory)" : data)}");
Console.WriteLine($"send (batches):          {count / send.Elapsed.TotalSeconds,8:F0} messages/s ({send.Elapsed.TotalSeconds:F2} s)");
Console.WriteLine($"processor (PeekLock, {concurrency} calls, complete): {count / receive.Elapsed.TotalSeconds,8:F0} messages/s ({receive.Elapsed.TotalSeconds:F2} s)");
Console.WriteLine($"processor errors: {errors}; left in queue (active, dead-lettered, locked): {left}");
return errors == 0 && left == (0, 0, 0) ? 0 : 1;
