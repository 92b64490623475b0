using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalHost.Bindings;
using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Protocol;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Plays a serviceBusTrigger with the Azurite queue of the same name: a received message is locked by its
/// visibility timeout; success deletes it; failure abandons it (visible again at once) until the delivery
/// count reaches MaxDeliveryCount, then it moves to <c>&lt;queue&gt;-deadletter</c> with DeadLetterReason
/// <c>MaxDeliveryCountExceeded</c> and the error text.
/// </summary>
public sealed class ServiceBusTriggerListener(
    FunctionMetadata function,
    LocalStorage storage,
    FunctionInvoker invoker,
    ServiceBusTriggerOptions options,
    TimeProvider time,
    Action<string> log)
{
    /// <summary>The dead-letter reason used when the delivery limit is reached (as Service Bus).</summary>
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";

    /// <summary>The queue this function listens on.</summary>
    public string QueueName { get; } = function.Trigger.Require("queueName");

    /// <summary>Receives and dispatches until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var queue = await storage.QueueAsync(QueueName, stopping).ConfigureAwait(false);
        using var slots = new SemaphoreSlim(options.MaxConcurrentCalls, options.MaxConcurrentCalls);
        var running = new List<Task>();
        var idle = TimeSpan.FromMilliseconds(50);
        while (!stopping.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            var free = slots.CurrentCount;
            if (free == 0)
            {
                await Task.WhenAny(running).WaitAsync(stopping).ConfigureAwait(false);
                continue;
            }

            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(Math.Min(32, free), options.LockDuration, stopping).ConfigureAwait(false)).Value;
            }
            catch (global::Azure.RequestFailedException e)
            {
                log($"[{function.Name}] receive from {QueueName} failed ({e.Status} {e.ErrorCode}); retrying");
                await Task.Delay(options.MaxPollInterval, stopping).ConfigureAwait(false);
                continue;
            }

            if (messages.Length == 0)
            {
                await Task.Delay(idle, stopping).ConfigureAwait(false);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollInterval.Ticks));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(50);
            foreach (var message in messages)
            {
                await slots.WaitAsync(stopping).ConfigureAwait(false);
                running.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            await ProcessAsync(queue, message, stopping).ConfigureAwait(false);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    CancellationToken.None));
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>Handles one received message: invoke, then complete, abandon or dead-letter it.</summary>
    internal async Task ProcessAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        var received = ToReceived(message);
        if (received.DeliveryCount > options.MaxDeliveryCount)
        {
            await DeadLetterAsync(queue, message, received.Envelope, $"delivery count {received.DeliveryCount} exceeds {options.MaxDeliveryCount}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var trigger = function.Trigger;
        var payload = HostPayloadBuilder.ServiceBus(function.Name, trigger.Name, trigger.IsBinary, received, time.GetUtcNow(), Guid.NewGuid());
        InvocationResult result;
        try
        {
            result = await invoker.InvokeAsync(function, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync(queue, message, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (result.Succeeded)
        {
            await CompleteAsync(queue, message, cancellationToken).ConfigureAwait(false);
        }
        else if (received.DeliveryCount >= options.MaxDeliveryCount)
        {
            await DeadLetterAsync(queue, message, received.Envelope, result.Error ?? "failed", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AbandonAsync(queue, message, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static ReceivedServiceBusMessage ToReceived(QueueMessage message)
    {
        LocalServiceBusEnvelope envelope;
        try
        {
            envelope = LocalServiceBusEnvelope.Decode(message.MessageText);
        }
        catch (FormatException)
        {
            // Not written by DmarcCloud tooling: the raw text is the body, as a plain Service Bus message.
            envelope = LocalServiceBusEnvelope.FromText(message.MessageText, messageId: message.MessageId);
        }

        var enqueued = message.InsertedOn ?? DateTimeOffset.UtcNow;
        return new ReceivedServiceBusMessage(
            envelope,
            message.DequeueCount,
            SequenceNumber: enqueued.ToUnixTimeMilliseconds(),
            EnqueuedTime: enqueued,
            ExpiresAt: message.ExpiresOn ?? enqueued.AddDays(14));
    }

    private async Task CompleteAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            log($"[{function.Name}] lock lost on message {message.MessageId} (ran longer than the lock {options.LockDuration}); it will be delivered again");
        }
    }

    private async Task AbandonAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            log($"[{function.Name}] lock already lost on message {message.MessageId}");
        }
    }

    private async Task DeadLetterAsync(QueueClient queue, QueueMessage message, LocalServiceBusEnvelope envelope, string error, CancellationToken cancellationToken)
    {
        var dead = envelope with { DeadLetterReason = MaxDeliveryCountExceeded, DeadLetterErrorDescription = error };
        await storage.SendAsync(LocalServiceBusEnvelope.DeadLetterQueueName(QueueName), dead, cancellationToken).ConfigureAwait(false);
        log($"[{function.Name}] message {envelope.MessageId} dead-lettered to {LocalServiceBusEnvelope.DeadLetterQueueName(QueueName)} after {message.DequeueCount} deliveries: {error}");
        await CompleteAsync(queue, message, cancellationToken).ConfigureAwait(false);
    }
}
