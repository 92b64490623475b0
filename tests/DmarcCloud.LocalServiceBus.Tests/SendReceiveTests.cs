using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>Batches, receive modes, peek and the processor, through the real SDK.</summary>
public sealed class SendReceiveTests
{
    [Fact]
    public async Task Batch_send_delivers_every_message_in_order_with_rising_sequence_numbers()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        using var batch = await sender.CreateMessageBatchAsync();
        Assert.Equal(256 * 1024, batch.MaxSizeInBytes);
        for (int i = 0; i < 20; i++)
        {
            Assert.True(batch.TryAddMessage(new ServiceBusMessage($"m{i}") { MessageId = $"id-{i}" }));
        }

        await sender.SendMessagesAsync(batch);

        await using var receiver = bus.Client.CreateReceiver("orders", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < 20)
        {
            var some = await receiver.ReceiveMessagesAsync(20 - received.Count, BrokerFixture.Patience);
            Assert.NotEmpty(some);
            received.AddRange(some);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), received.Select(m => m.Body.ToString()));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"id-{i}"), received.Select(m => m.MessageId));
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.SequenceNumber < p.Second.SequenceNumber));
    }

    [Fact]
    public async Task ReceiveAndDelete_removes_the_message_at_delivery()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessagesAsync([new ServiceBusMessage("a"), new ServiceBusMessage("b")]);
        await using var receiver = bus.Client.CreateReceiver("orders", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });

        var first = await bus.ReceiveOneAsync(receiver);
        Assert.Equal("a", first.Body.ToString());
        Assert.Equal((1, 0, 0), bus.Broker.GetCounts("orders"));
        var second = await bus.ReceiveOneAsync(receiver);
        Assert.Equal("b", second.Body.ToString());
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => receiver.CompleteMessageAsync(second));
    }

    [Fact]
    public async Task Peek_shows_messages_without_locking_or_removing_them()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessagesAsync([new ServiceBusMessage("one"), new ServiceBusMessage("two"), new ServiceBusMessage("three")]);
        await using var receiver = bus.Client.CreateReceiver("orders");

        var peeked = await receiver.PeekMessagesAsync(10);
        Assert.Equal(["one", "two", "three"], peeked.Select(m => m.Body.ToString()));
        var next = await receiver.PeekMessagesAsync(10);
        Assert.Empty(next);
        var fromSecond = await receiver.PeekMessagesAsync(1, peeked[1].SequenceNumber);
        Assert.Equal("two", Assert.Single(fromSecond).Body.ToString());

        Assert.Equal((3, 0, 0), bus.Broker.GetCounts("orders"));
        var received = await bus.ReceiveOneAsync(receiver);
        Assert.Equal("one", received.Body.ToString());
        Assert.Equal(1, received.DeliveryCount);
    }

    [Fact]
    public async Task Receiver_with_prefetch_gets_locked_messages_it_can_settle()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessagesAsync(Enumerable.Range(0, 10).Select(i => new ServiceBusMessage($"p{i}")));
        await using var receiver = bus.Client.CreateReceiver("orders", new ServiceBusReceiverOptions { PrefetchCount = 5 });

        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < 10)
        {
            var some = await receiver.ReceiveMessagesAsync(10, BrokerFixture.Patience);
            Assert.NotEmpty(some);
            received.AddRange(some);
            foreach (var message in some)
            {
                await receiver.CompleteMessageAsync(message); // settling frees the prefetch credit
            }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"p{i}"), received.Select(m => m.Body.ToString()));

        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
    }

    [Fact]
    public async Task Dead_letter_queue_can_be_peeked()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessageAsync(new ServiceBusMessage("bad"));
        await using var receiver = bus.Client.CreateReceiver("orders");
        await receiver.DeadLetterMessageAsync(await bus.ReceiveOneAsync(receiver), "Reason", "Description");

        await using var dlq = bus.Client.CreateReceiver("orders", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var peeked = Assert.Single(await dlq.PeekMessagesAsync(10));
        Assert.Equal("bad", peeked.Body.ToString());
        Assert.Equal("Reason", peeked.DeadLetterReason);
        Assert.Empty(await receiver.PeekMessagesAsync(10, fromSequenceNumber: 0));
    }

    [Fact]
    public async Task Processor_with_concurrent_calls_handles_every_message_once()
    {
        const int count = 300;
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        for (int start = 0; start < count; start += 100)
        {
            using var batch = await sender.CreateMessageBatchAsync();
            for (int i = start; i < start + 100; i++)
            {
                Assert.True(batch.TryAddMessage(new ServiceBusMessage(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }

            await sender.SendMessagesAsync(batch);
        }

        var seen = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentQueue<Exception>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var processor = bus.Client.CreateProcessor("orders", new ServiceBusProcessorOptions { MaxConcurrentCalls = 8 });
        processor.ProcessMessageAsync += args =>
        {
            if (seen.AddOrUpdate(args.Message.Body.ToString(), 1, (_, n) => n + 1) == 1 && seen.Count == count)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += args =>
        {
            errors.Enqueue(args.Exception);
            return Task.CompletedTask;
        };

        await processor.StartProcessingAsync();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await processor.StopProcessingAsync();

        Assert.Empty(errors);
        Assert.Equal(count, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
    }
}
