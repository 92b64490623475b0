using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>The first usable slice: send, PeekLock receive, complete, abandon, dead-letter, read the DLQ.</summary>
public sealed class BasicFlowTests
{
    [Fact]
    public async Task Sent_message_is_received_with_its_body_properties_and_broker_metadata()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        var sent = new ServiceBusMessage(BinaryData.FromString("hello"))
        {
            MessageId = "m-1",
            Subject = "greeting",
            ContentType = "text/plain",
            CorrelationId = "c-1",
        };
        sent.ApplicationProperties["domain"] = "example.com";
        sent.ApplicationProperties["count"] = 3;
        await sender.SendMessageAsync(sent);

        await using var receiver = bus.Client.CreateReceiver("orders");
        var received = await bus.ReceiveOneAsync(receiver);

        Assert.Equal("hello", received.Body.ToString());
        Assert.Equal("m-1", received.MessageId);
        Assert.Equal("greeting", received.Subject);
        Assert.Equal("text/plain", received.ContentType);
        Assert.Equal("c-1", received.CorrelationId);
        Assert.Equal("example.com", received.ApplicationProperties["domain"]);
        Assert.Equal(3, received.ApplicationProperties["count"]);
        Assert.Equal(1, received.DeliveryCount);
        Assert.True(received.SequenceNumber > 0);
        Assert.NotEqual(default, received.LockToken);
        Assert.True(received.LockedUntil > DateTimeOffset.UtcNow);
        Assert.True(received.EnqueuedTime > DateTimeOffset.UtcNow.AddMinutes(-1));

        await receiver.CompleteMessageAsync(received);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
    }

    [Fact]
    public async Task Abandoned_message_comes_back_with_a_higher_delivery_count()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessageAsync(new ServiceBusMessage("retry me"));
        await using var receiver = bus.Client.CreateReceiver("orders");

        var first = await bus.ReceiveOneAsync(receiver);
        await receiver.AbandonMessageAsync(first, new Dictionary<string, object> { ["attempt"] = "one" });
        var second = await bus.ReceiveOneAsync(receiver);

        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal("one", second.ApplicationProperties["attempt"]);
        await receiver.CompleteMessageAsync(second);
    }

    [Fact]
    public async Task Dead_lettered_message_is_read_from_the_dead_letter_queue_with_reason_and_description()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessageAsync(new ServiceBusMessage("poison") { MessageId = "p-1" });
        await using var receiver = bus.Client.CreateReceiver("orders");

        var message = await bus.ReceiveOneAsync(receiver);
        await receiver.DeadLetterMessageAsync(message, "BadInput", "the report is not XML");

        await using var dlq = bus.Client.CreateReceiver("orders", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await bus.ReceiveOneAsync(dlq);
        Assert.Equal("p-1", dead.MessageId);
        Assert.Equal("poison", dead.Body.ToString());
        Assert.Equal("BadInput", dead.DeadLetterReason);
        Assert.Equal("the report is not XML", dead.DeadLetterErrorDescription);
        await dlq.CompleteMessageAsync(dead);
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
    }
}
