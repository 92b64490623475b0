using System.Transactions;
using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>What the broker does not implement fails fast with an exception in the SDK, never a hang.</summary>
public sealed class UnsupportedTests
{
    static async Task<Exception> FailsWithinPatienceAsync(Func<CancellationToken, Task> operation)
    {
        using var timeout = new CancellationTokenSource(BrokerFixture.Patience);
        var error = await Record.ExceptionAsync(() => operation(timeout.Token));
        Assert.NotNull(error);
        Assert.False(timeout.IsCancellationRequested, $"the operation hung until the timeout: {error}");
        return error;
    }

    [Fact]
    public async Task Session_receiver_is_refused()
    {
        await using var bus = await BrokerFixture.StartAsync();
        var error = await FailsWithinPatienceAsync(ct => bus.Client.AcceptSessionAsync("orders", "s1", cancellationToken: ct));
        Assert.IsType<NotSupportedException>(error.GetBaseException(), exactMatch: false);
    }

    [Fact]
    public async Task Topic_subscription_receiver_is_refused()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var receiver = bus.Client.CreateReceiver("orders", "sub");
        var error = await FailsWithinPatienceAsync(ct => receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(1), ct));
        Assert.IsType<NotSupportedException>(error.GetBaseException(), exactMatch: false);
    }

    [Fact]
    public async Task Unknown_queue_is_MessagingEntityNotFound()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("no-such-queue");
        var error = await FailsWithinPatienceAsync(ct => sender.SendMessageAsync(new ServiceBusMessage("x"), ct));
        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, Assert.IsType<ServiceBusException>(error).Reason);
    }

    [Fact]
    public async Task Deferring_and_receiving_deferred_messages_are_refused()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await sender.SendMessageAsync(new ServiceBusMessage("later"));
        await using var receiver = bus.Client.CreateReceiver("orders");
        var message = await bus.ReceiveOneAsync(receiver);

        await FailsWithinPatienceAsync(ct => receiver.DeferMessageAsync(message, cancellationToken: ct));
        var error = await FailsWithinPatienceAsync(ct => receiver.ReceiveDeferredMessageAsync(message.SequenceNumber, ct));
        Assert.IsType<NotSupportedException>(error, exactMatch: false);

        await receiver.CompleteMessageAsync(message); // the failed defer left the lock usable
    }

    [Fact]
    public async Task Transactional_send_is_refused()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders");
        await FailsWithinPatienceAsync(async ct =>
        {
            using var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled);
            await sender.SendMessageAsync(new ServiceBusMessage("in a transaction"), ct);
            scope.Complete();
        });
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("orders"));
    }

    [Fact]
    public async Task Sending_to_a_dead_letter_queue_is_refused()
    {
        await using var bus = await BrokerFixture.StartAsync();
        await using var sender = bus.Client.CreateSender("orders/$DeadLetterQueue");
        await FailsWithinPatienceAsync(ct => sender.SendMessageAsync(new ServiceBusMessage("x"), ct));
    }
}
