using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>Messages survive a broker restart on the same port and data directory.</summary>
public sealed class DurabilityTests : IDisposable
{
    readonly string data = Path.Combine(Path.GetTempPath(), "dmarccloud-sb-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Pending_dead_lettered_and_scheduled_messages_survive_a_restart_and_locks_are_released_keeping_delivery_counts()
    {
        await using var bus = await BrokerFixture.StartAsync(o =>
        {
            o.DataDirectory = data;
            o.AddQueue("durable", q =>
            {
                q.LockDuration = TimeSpan.FromMinutes(1);
                q.DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(5);
            });
        });
        await using (var sender = bus.Client.CreateSender("durable"))
        {
            await sender.SendMessagesAsync(new[] { "completed", "abandoned", "held", "untouched", "dead" }.Select(b => new ServiceBusMessage(b) { MessageId = b }));
            await sender.ScheduleMessageAsync(new ServiceBusMessage("scheduled") { MessageId = "scheduled" }, DateTimeOffset.UtcNow.AddHours(1));
        }

        await using (var receiver = bus.Client.CreateReceiver("durable"))
        {
            var messages = (await ReceiveAsync(receiver, 5)).ToDictionary(m => m.Body.ToString());
            await receiver.CompleteMessageAsync(messages["completed"]);
            await receiver.AbandonMessageAsync(messages["abandoned"]);
            await receiver.DeadLetterMessageAsync(messages["dead"], "Broken", "kept across restarts");
            // "held" and "untouched" stay locked (in flight) until the restart.
        }

        int port = bus.Broker.Port;
        await bus.RestartAsync();
        Assert.Equal(port, bus.Broker.Port);
        Assert.Equal((4, 1, 0), bus.Broker.GetCounts("durable")); // abandoned, held, untouched, scheduled + dead

        await using (var sender = bus.Client.CreateSender("durable"))
        {
            await sender.SendMessageAsync(new ServiceBusMessage("duplicate") { MessageId = "untouched" }); // detection history survives too
        }

        await using (var receiver = bus.Client.CreateReceiver("durable"))
        {
            var again = (await ReceiveAsync(receiver, 3)).ToDictionary(m => m.Body.ToString());
            Assert.Equal(["abandoned", "held", "untouched"], again.Keys.Order());
            Assert.Equal(2, again["abandoned"].DeliveryCount); // the abandon counted
            Assert.Equal(1, again["held"].DeliveryCount); // a lock released by the restart does not count
            foreach (var message in again.Values)
            {
                await receiver.CompleteMessageAsync(message);
            }

            Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
            var scheduled = Assert.Single(await receiver.PeekMessagesAsync(10, fromSequenceNumber: 0));
            Assert.Equal("scheduled", scheduled.Body.ToString());
            Assert.Equal(ServiceBusMessageState.Scheduled, scheduled.State);
        }

        await using var dlq = bus.Client.CreateReceiver("durable", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await bus.ReceiveOneAsync(dlq);
        Assert.Equal("dead", dead.Body.ToString());
        Assert.Equal("Broken", dead.DeadLetterReason);
        Assert.Equal("kept across restarts", dead.DeadLetterErrorDescription);
    }

    [Fact]
    public async Task Journal_is_compacted_at_start_and_a_torn_last_record_is_ignored()
    {
        await using var bus = await BrokerFixture.StartAsync(o =>
        {
            o.DataDirectory = data;
            o.AddQueue("durable");
        });
        await using (var sender = bus.Client.CreateSender("durable"))
        {
            for (int i = 0; i < 50; i++)
            {
                await sender.SendMessageAsync(new ServiceBusMessage(new byte[1000]));
            }

            await sender.SendMessageAsync(new ServiceBusMessage("last"));
        }

        await using (var receiver = bus.Client.CreateReceiver("durable", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete }))
        {
            await ReceiveAsync(receiver, 50);
        }

        var journal = Path.Combine(data, "durable.journal");
        long before = new FileInfo(journal).Length;
        await bus.RestartAsync();
        long after = new FileInfo(journal).Length;
        Assert.True(after < before / 10, $"journal {before} → {after} bytes");

        await bus.Client.DisposeAsync();
        await bus.Broker.DisposeAsync();
        await using (var file = new FileStream(journal, FileMode.Append))
        {
            file.Write([200, 0, 0, 0, (byte)'E', 1, 2]); // a record cut short by a crash
        }

        var log = new StringWriter();
        bus.Options.Log = log;
        await bus.RestartAsync();
        Assert.Contains("journal unreadable from byte", log.ToString(), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(data, "durable.journal.damaged-*")); // the original is kept, not silently dropped
        await using var again = bus.Client.CreateReceiver("durable");
        var message = await bus.ReceiveOneAsync(again);
        Assert.Equal("last", message.Body.ToString());
        await again.CompleteMessageAsync(message);
    }

    static async Task<List<ServiceBusReceivedMessage>> ReceiveAsync(ServiceBusReceiver receiver, int count)
    {
        var result = new List<ServiceBusReceivedMessage>();
        while (result.Count < count)
        {
            var some = await receiver.ReceiveMessagesAsync(count - result.Count, BrokerFixture.Patience);
            Assert.NotEmpty(some);
            result.AddRange(some);
        }

        return result;
    }

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
