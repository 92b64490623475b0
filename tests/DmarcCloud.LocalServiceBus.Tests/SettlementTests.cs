using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>Delivery counts, MaxDeliveryCount, lock expiry and renewal.</summary>
public sealed class SettlementTests
{
    [Fact]
    public async Task Abandoning_until_MaxDeliveryCount_moves_the_message_to_the_dead_letter_queue()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("jobs", q => q.MaxDeliveryCount = 3));
        await using var sender = bus.Client.CreateSender("jobs");
        await sender.SendMessageAsync(new ServiceBusMessage("flaky") { MessageId = "j-1" });
        await using var receiver = bus.Client.CreateReceiver("jobs");

        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var message = await bus.ReceiveOneAsync(receiver);
            Assert.Equal(attempt, message.DeliveryCount);
            await receiver.AbandonMessageAsync(message);
        }

        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        await using var dlq = bus.Client.CreateReceiver("jobs", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await bus.ReceiveOneAsync(dlq);
        Assert.Equal("j-1", dead.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.Equal(ServiceBusMessageState.Active, dead.State);
    }

    [Fact]
    public async Task Expired_lock_redelivers_the_message_and_settling_the_old_lock_throws_MessageLockLost()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("short", q => q.LockDuration = TimeSpan.FromSeconds(1)));
        await using var sender = bus.Client.CreateSender("short");
        await sender.SendMessageAsync(new ServiceBusMessage("slow"));
        await using var receiver = bus.Client.CreateReceiver("short");

        var first = await bus.ReceiveOneAsync(receiver);
        var second = await bus.ReceiveOneAsync(receiver); // arrives once the first lock has expired
        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(2, second.DeliveryCount);
        Assert.NotEqual(first.LockToken, second.LockToken);

        var lost = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(first));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, lost.Reason);
        await receiver.CompleteMessageAsync(second);
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("short"));
    }

    [Fact]
    public async Task Renewed_lock_outlives_the_lock_duration()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("short", q => q.LockDuration = TimeSpan.FromSeconds(3)));
        await using var sender = bus.Client.CreateSender("short");
        await sender.SendMessageAsync(new ServiceBusMessage("long job"));
        await using var receiver = bus.Client.CreateReceiver("short");

        var message = await bus.ReceiveOneAsync(receiver);
        var originalUntil = message.LockedUntil;
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await receiver.RenewMessageLockAsync(message);
        }

        Assert.True(message.LockedUntil > originalUntil);
        await receiver.CompleteMessageAsync(message); // 4 s after receipt, past the original 3 s lock
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("short"));
    }

    [Fact]
    public async Task Renewing_an_expired_lock_throws_MessageLockLost()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("short", q => q.LockDuration = TimeSpan.FromSeconds(1)));
        await using var sender = bus.Client.CreateSender("short");
        await sender.SendMessageAsync(new ServiceBusMessage("forgotten"));
        await using var receiver = bus.Client.CreateReceiver("short");

        var message = await bus.ReceiveOneAsync(receiver);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var lost = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.RenewMessageLockAsync(message));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, lost.Reason);
    }

    [Fact]
    public async Task Message_settled_after_its_receiver_closed_is_completed_through_the_management_link()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessageAsync(new ServiceBusMessage("x"));
        var receiver = bus.Client.CreateReceiver("orders");
        var message = await bus.ReceiveOneAsync(receiver);
        await receiver.DisposeAsync();

        await using var another = bus.Client.CreateReceiver("orders");
        await another.CompleteMessageAsync(message);
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
    }
}
