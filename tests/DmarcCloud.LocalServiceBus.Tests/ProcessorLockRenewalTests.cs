using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>A slow test of its own class, so it runs beside the others (xunit runs classes in parallel).</summary>
public sealed class ProcessorLockRenewalTests
{
    [Fact]
    public async Task Processor_renews_the_lock_of_a_handler_that_outlasts_the_lock_duration()
    {
        await using var bus = await BrokerFixture.StartAsync(o => o.AddQueue("short", q => q.LockDuration = TimeSpan.FromSeconds(5)));
        await using var sender = bus.Client.CreateSender("short");
        await sender.SendMessageAsync(new ServiceBusMessage("slow handler"));

        var deliveries = new List<int>();
        var errors = new List<Exception>();
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var processor = bus.Client.CreateProcessor("short", new ServiceBusProcessorOptions { MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(1) });
        processor.ProcessMessageAsync += async args =>
        {
            lock (deliveries)
            {
                deliveries.Add(args.Message.DeliveryCount);
            }

            // Over two lock durations. The SDK renews at half the remaining lock time: 5 s leaves margin on a loaded machine.
            await Task.Delay(TimeSpan.FromSeconds(11), args.CancellationToken);
            handled.TrySetResult();
        };
        processor.ProcessErrorAsync += args =>
        {
            lock (errors)
            {
                errors.Add(args.Exception);
            }

            return Task.CompletedTask;
        };

        await processor.StartProcessingAsync();
        await handled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow + BrokerFixture.Patience;
        while (bus.Broker.GetCounts("short") != (0, 0, 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50); // the processor completes the message after the handler returns
        }

        await processor.StopProcessingAsync();

        Assert.Empty(errors);
        Assert.Equal([1], deliveries); // never redelivered: the lock was renewed
        Assert.Equal((0, 0, 0), bus.Broker.GetCounts("short"));
    }
}
