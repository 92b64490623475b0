using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>Scheduling, duplicate detection, time to live and message size, as queue properties configure them.</summary>
public sealed class QueueFeatureTests
{
    [Fact]
    public async Task Scheduled_message_arrives_at_its_time_and_a_cancelled_one_never_does()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await using var receiver = bus.Client.CreateReceiver("orders");
        await receiver.PeekMessageAsync(); // open the connection first: the schedule below is timed
        var at = DateTimeOffset.UtcNow.AddSeconds(3);
        long kept = await sender.ScheduleMessageAsync(new ServiceBusMessage("later") { MessageId = "kept" }, at);
        long cancelled = await sender.ScheduleMessageAsync(new ServiceBusMessage("never") { MessageId = "cancelled" }, at);
        await sender.CancelScheduledMessageAsync(cancelled);

        var peeked = Assert.Single(await receiver.PeekMessagesAsync(10, fromSequenceNumber: 0));
        Assert.Equal(kept, peeked.SequenceNumber);
        if (DateTimeOffset.UtcNow < at)
        {
            Assert.Equal(ServiceBusMessageState.Scheduled, peeked.State);
        }

        var message = await bus.ReceiveOneAsync(receiver);
        Assert.True(DateTimeOffset.UtcNow >= at.AddMilliseconds(-50), "delivered before its scheduled time");
        Assert.Equal("kept", message.MessageId);
        Assert.Equal(kept, message.SequenceNumber);
        Assert.InRange(message.ScheduledEnqueueTime, at.AddMilliseconds(-5), at.AddMilliseconds(5));
        await receiver.CompleteMessageAsync(message);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Message_sent_with_a_ScheduledEnqueueTime_is_held_until_then()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await using var receiver = bus.Client.CreateReceiver("orders");
        await receiver.PeekMessageAsync();
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        await sender.SendMessageAsync(new ServiceBusMessage("held") { ScheduledEnqueueTime = at });

        var message = await bus.ReceiveOneAsync(receiver);
        Assert.True(DateTimeOffset.UtcNow >= at.AddMilliseconds(-50), "delivered before its scheduled time");
        Assert.Equal("held", message.Body.ToString());
    }

    [Fact]
    public async Task Duplicate_MessageId_within_the_window_is_dropped()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("dedup", q => q.DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(1)));
        await using var sender = bus.Client.CreateSender("dedup");
        await sender.SendMessageAsync(new ServiceBusMessage("first") { MessageId = "same" });
        await sender.SendMessageAsync(new ServiceBusMessage("second") { MessageId = "same" });
        await sender.SendMessageAsync(new ServiceBusMessage("other") { MessageId = "different" });
        await using var receiver = bus.Client.CreateReceiver("dedup", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });

        Assert.Equal("first", (await bus.ReceiveOneAsync(receiver)).Body.ToString());
        Assert.Equal("other", (await bus.ReceiveOneAsync(receiver)).Body.ToString());
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Without_duplicate_detection_the_same_MessageId_is_delivered_twice()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessageAsync(new ServiceBusMessage("first") { MessageId = "same" });
        await sender.SendMessageAsync(new ServiceBusMessage("second") { MessageId = "same" });
        Assert.Equal((2, 0, 0), bus.Broker.GetCounts("orders"));
    }

    [Fact]
    public async Task Expired_message_is_dead_lettered_when_the_queue_says_so()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("ttl", q =>
        {
            q.DefaultMessageTimeToLive = TimeSpan.FromSeconds(1);
            q.DeadLetteringOnMessageExpiration = true;
        }));
        await using var sender = bus.Client.CreateSender("ttl");
        await sender.SendMessageAsync(new ServiceBusMessage("stale") { MessageId = "s-1" });
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var receiver = bus.Client.CreateReceiver("ttl");

        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        await using var dlq = bus.Client.CreateReceiver("ttl", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await bus.ReceiveOneAsync(dlq);
        Assert.Equal("s-1", dead.MessageId);
        Assert.Equal("TTLExpiredException", dead.DeadLetterReason);
    }

    [Fact]
    public async Task Expired_message_is_dropped_by_default_and_a_message_TimeToLive_counts_too()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessageAsync(new ServiceBusMessage("short-lived") { TimeToLive = TimeSpan.FromSeconds(1) });
        await sender.SendMessageAsync(new ServiceBusMessage("long-lived"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var receiver = bus.Client.CreateReceiver("orders");

        var message = await bus.ReceiveOneAsync(receiver);
        Assert.Equal("long-lived", message.Body.ToString());
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal((1, 0, 1), bus.Broker.GetCounts("orders"));
    }

    [Fact]
    public async Task Oversize_message_is_refused_with_MessageSizeExceeded()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("small", q => q.MaxMessageSizeInBytes = 64 * 1024));
        await using var sender = bus.Client.CreateSender("small");

        var tooBig = new ServiceBusMessage(new byte[70 * 1024]);
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(tooBig));
        Assert.Equal(ServiceBusFailureReason.MessageSizeExceeded, error.Reason);

        using var batch = await sender.CreateMessageBatchAsync();
        Assert.Equal(64 * 1024, batch.MaxSizeInBytes);
        Assert.False(batch.TryAddMessage(new ServiceBusMessage(new byte[70 * 1024])));
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("small"));

        await sender.SendMessageAsync(new ServiceBusMessage(new byte[60 * 1024]));
        Assert.Equal((1, 0, 0), bus.Broker.GetCounts("small"));
    }
}
