using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>
/// The broker stopped and started under a running SDK client (the fault tests of the local runner do this):
/// the SDK reconnects by itself and nothing is lost.
/// </summary>
public sealed class OutageTests : IDisposable
{
    readonly string data = Path.Combine(Path.GetTempPath(), "dmarccloud-sb-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Sender_and_receiver_keep_working_after_a_broker_restart()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.DataDirectory = data);
        var client = new ServiceBusClient(bus.Broker.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 5, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), TryTimeout = TimeSpan.FromSeconds(10) },
        });
        await using (client)
        {
            await using var sender = client.CreateSender("orders");
            await using var receiver = client.CreateReceiver("orders");
            await sender.SendMessageAsync(new ServiceBusMessage("before"));

            await bus.RestartBrokerOnlyAsync(TimeSpan.FromMilliseconds(500));

            await sender.SendMessageAsync(new ServiceBusMessage("after"));
            var first = await bus.ReceiveOneAsync(receiver);
            var second = await bus.ReceiveOneAsync(receiver);
            Assert.Equal(["before", "after"], new[] { first.Body.ToString(), second.Body.ToString() });
            await receiver.CompleteMessageAsync(first);
            await receiver.CompleteMessageAsync(second);
            Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
        }
    }

    [Fact]
    public async Task Processor_resumes_after_a_broker_restart_and_every_message_is_handled()
    {
        const int count = 40;
        await using var bus = await BrokerFixture.StartAsync(o => o.DataDirectory = data);
        var client = new ServiceBusClient(bus.Broker.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 10, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), TryTimeout = TimeSpan.FromSeconds(10) },
        });
        await using (client)
        {
            await using var sender = client.CreateSender("orders");
            var handled = new ConcurrentDictionary<string, int>();
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var processor = client.CreateProcessor("orders", new ServiceBusProcessorOptions { MaxConcurrentCalls = 4 });
            processor.ProcessMessageAsync += args =>
            {
                handled.AddOrUpdate(args.Message.Body.ToString(), 1, (_, n) => n + 1);
                if (handled.Count == count)
                {
                    all.TrySetResult();
                }

                return Task.CompletedTask;
            };
            processor.ProcessErrorAsync += _ => Task.CompletedTask; // the outage shows up here; the processor retries
            await processor.StartProcessingAsync();

            for (int i = 0; i < count / 2; i++)
            {
                await sender.SendMessageAsync(new ServiceBusMessage($"m{i}"));
            }

            await bus.RestartBrokerOnlyAsync(TimeSpan.FromMilliseconds(500));
            for (int i = count / 2; i < count; i++)
            {
                await sender.SendMessageAsync(new ServiceBusMessage($"m{i}"));
            }

            await all.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await processor.StopProcessingAsync();

            Assert.Equal(count, handled.Count); // at-least-once: a message in flight at the restart may come twice
            var left = bus.Broker.GetCounts("orders");
            Assert.Equal(0, left.Active - left.Locked); // nothing waiting; at most a lock held by a delivery in flight
            Assert.Equal(0, left.DeadLettered);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
