using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Azure.Messaging;

/// <summary>
/// Drains one Service Bus queue through an <see cref="IServiceBusMessageHandler"/>: a receiver in PeekLock, at most
/// <see cref="ServiceBusDrainOptions.MaxConcurrency"/> messages in hand, new messages received only within
/// <see cref="ServiceBusDrainOptions.TimeBudget"/>. Each message is settled from its handler's outcome: complete on
/// success, dead-letter at once (with the reason) on permanent bad input, abandon on a transient fault or an
/// exception, so Service Bus counts the delivery and dead-letters at the queue's MaxDeliveryCount.
/// </summary>
/// <remarks>
/// Abandoned messages are released only when the run ends: abandoning at once would hand the same message straight
/// back to this run and burn its deliveries in seconds. So one run is one delivery attempt per message, and the
/// timer period is the retry back-off. Every message's lock is renewed from receipt until it is settled (at half of
/// the time it has left, as <c>ServiceBusProcessor</c>'s automatic lock renewal does), so a long job, or a message
/// held for its abandon at the end of a run, never loses its lock and is never handed to a second handler. The abandon carries the fault in application property
/// <see cref="LastFaultProperty"/>, which stays on the message if Service Bus dead-letters it later.
/// The isolated worker has no Service Bus trigger here (its extension is not obtainable); see docs/architecture.md.
/// </remarks>
public sealed partial class ServiceBusDrain
{
    /// <summary>The application property an abandon writes the fault to.</summary>
    public const string LastFaultProperty = "DmarcCloud-LastFault";

    private const int MaxReasonLength = 4096;

    /// <summary>Locks are never renewed more often than this (Service Bus's shortest lock is 5 s).</summary>
    private static readonly TimeSpan MinimumRenewalInterval = TimeSpan.FromSeconds(1);

    private readonly ServiceBusClient _client;
    private readonly ServiceBusDrainOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ServiceBusDrain> _logger;

    /// <summary>Creates a drain.</summary>
    public ServiceBusDrain(ServiceBusClient client, IOptions<ServiceBusDrainOptions> options, TimeProvider time, ILogger<ServiceBusDrain> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Receives and handles messages until the queue is empty or the time budget is spent.</summary>
    public async Task<ServiceBusDrainSummary> DrainAsync(IServiceBusMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        await using var receiver = _client.CreateReceiver(handler.QueueName, new ServiceBusReceiverOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            PrefetchCount = 0, // a message in a prefetch buffer holds a lock nobody works on
        });

        using var budget = new CancellationTokenSource(_options.TimeBudget, _time);
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var running = new List<Task<(ServiceBusReceivedMessage Message, ServiceBusMessageOutcome Outcome)>>();
        var retries = new List<(ServiceBusReceivedMessage Message, ServiceBusMessageOutcome Outcome)>();
        var renewals = new Dictionary<ServiceBusReceivedMessage, LockRenewal>(ReferenceEqualityComparer.Instance);
        int completed = 0, deadLettered = 0;

        async Task SettleFinishedAsync()
        {
            foreach (var task in running.Where(t => t.IsCompleted).ToList())
            {
                running.Remove(task);
                var (message, outcome) = await task.ConfigureAwait(false);
                if (outcome.Settlement != ServiceBusSettlement.Abandon)
                {
                    await StopRenewalAsync(message).ConfigureAwait(false); // held for its abandon: keep renewing
                }

                switch (await SettleAsync(receiver, message, outcome).ConfigureAwait(false))
                {
                    case ServiceBusSettlement.Complete: completed++; break;
                    case ServiceBusSettlement.DeadLetter: deadLettered++; break;
                    default: retries.Add((message, outcome)); break;
                }
            }
        }

        try
        {
            while (!receiving.IsCancellationRequested)
            {
                await SettleFinishedAsync().ConfigureAwait(false);
                var free = _options.MaxConcurrency - running.Count;
                if (free == 0)
                {
                    await Task.WhenAny(running).ConfigureAwait(false);
                    continue;
                }

                IReadOnlyList<ServiceBusReceivedMessage> batch;
                try
                {
                    batch = await receiver.ReceiveMessagesAsync(free, _options.ReceiveWaitTime, receiving.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (receiving.IsCancellationRequested)
                {
                    break;
                }

                if (batch.Count == 0)
                {
                    break; // drained; what arrives now waits for the next run
                }

                foreach (var message in batch)
                {
                    renewals[message] = new LockRenewal(this, receiver, message);
                    running.Add(HandleAsync(handler, message, cancellationToken));
                }
            }

            await Task.WhenAll(running).ConfigureAwait(false);
            await SettleFinishedAsync().ConfigureAwait(false);
            foreach (var (message, outcome) in retries)
            {
                await StopRenewalAsync(message).ConfigureAwait(false);
                await AbandonAsync(receiver, message, outcome.Reason).ConfigureAwait(false);
            }
        }
        finally
        {
            // Only when something threw: the locks of messages still in hand run out on their own.
            foreach (var renewal in renewals.Values)
            {
                await renewal.DisposeAsync().ConfigureAwait(false);
            }
        }

        var summary = new ServiceBusDrainSummary(handler.QueueName, completed, retries.Count, deadLettered,
            budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested);
        if (summary.Received > 0 || summary.BudgetExhausted)
        {
            LogDrained(_logger, summary.Queue, summary.Completed, summary.Abandoned, summary.DeadLettered, summary.BudgetExhausted);
        }

        return summary;

        async Task StopRenewalAsync(ServiceBusReceivedMessage message)
        {
            if (renewals.Remove(message, out var renewal))
            {
                await renewal.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<(ServiceBusReceivedMessage, ServiceBusMessageOutcome)> HandleAsync(IServiceBusMessageHandler handler, ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        await Task.Yield(); // run handlers concurrently, not inline with the receive loop
        try
        {
            return (message, await handler.HandleAsync(message, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (message, ServiceBusMessageOutcome.Retry("the host is shutting down"));
        }
        catch (Exception ex)
        {
            // Anything a handler did not classify is taken as transient: Service Bus bounds the retries.
            return (message, ServiceBusMessageOutcome.Retry($"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    private async Task<ServiceBusSettlement> SettleAsync(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, ServiceBusMessageOutcome outcome)
    {
        switch (outcome.Settlement)
        {
            case ServiceBusSettlement.Complete:
                LogOutcome(_logger, receiver.EntityPath, message.MessageId, message.DeliveryCount, "completed", outcome.Reason);
                return await TrySettleAsync(message, () => receiver.CompleteMessageAsync(message)).ConfigureAwait(false)
                    ? ServiceBusSettlement.Complete
                    : ServiceBusSettlement.Abandon;
            case ServiceBusSettlement.DeadLetter:
                LogRejected(_logger, receiver.EntityPath, message.MessageId, message.DeliveryCount, outcome.Reason, outcome.Description ?? string.Empty);
                return await TrySettleAsync(message, () => receiver.DeadLetterMessageAsync(message, Trim(outcome.Reason), Trim(outcome.Description ?? outcome.Reason))).ConfigureAwait(false)
                    ? ServiceBusSettlement.DeadLetter
                    : ServiceBusSettlement.Abandon;
            default:
                LogRetry(_logger, receiver.EntityPath, message.MessageId, message.DeliveryCount, outcome.Reason);
                return ServiceBusSettlement.Abandon;
        }
    }

    private async Task AbandonAsync(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, string fault)
    {
        var properties = new Dictionary<string, object> { [LastFaultProperty] = Trim(fault) };
        await TrySettleAsync(message, () => receiver.AbandonMessageAsync(message, properties)).ConfigureAwait(false);
    }

    /// <summary>Settles; a lost lock only means Service Bus already released the message (its delivery is counted).</summary>
    private async Task<bool> TrySettleAsync(ServiceBusReceivedMessage message, Func<Task> settle)
    {
        try
        {
            await settle().ConfigureAwait(false);
            return true;
        }
        catch (ServiceBusException ex) when (ex.Reason is ServiceBusFailureReason.MessageLockLost or ServiceBusFailureReason.MessageNotFound)
        {
            LogLockLost(_logger, message.MessageId, ex.Reason.ToString());
            return false;
        }
    }

    /// <summary>
    /// Keeps one message's lock: renews it when half of the time left has passed (at least every
    /// <see cref="MinimumRenewalInterval"/>), until disposed or the lock is lost. A renewal that fails for another
    /// reason (the broker briefly unreachable) is tried again at the next interval.
    /// </summary>
    private sealed class LockRenewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public LockRenewal(ServiceBusDrain drain, ServiceBusReceiver receiver, ServiceBusReceivedMessage message) =>
            _renewing = RenewAsync(drain, receiver, message, _stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            _stop.Dispose();
        }

        private static async Task RenewAsync(ServiceBusDrain drain, ServiceBusReceiver receiver, ServiceBusReceivedMessage message, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var left = message.LockedUntil - drain._time.GetUtcNow();
                var wait = left / 2 > MinimumRenewalInterval ? left / 2 : MinimumRenewalInterval;
                try
                {
                    await Task.Delay(wait, drain._time, stop).ConfigureAwait(false);
                    await receiver.RenewMessageLockAsync(message, stop).ConfigureAwait(false); // updates LockedUntil
                    LogRenewed(drain._logger, receiver.EntityPath, message.MessageId, message.LockedUntil);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (ServiceBusException ex) when (ex.Reason is ServiceBusFailureReason.MessageLockLost or ServiceBusFailureReason.MessageNotFound)
                {
                    LogLockLost(drain._logger, message.MessageId, ex.Reason.ToString());
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return; // the run ended abnormally and closed its receiver
                }
                catch (Exception ex) when (ex is ServiceBusException or TimeoutException or InvalidOperationException)
                {
                    LogRenewalFailed(drain._logger, receiver.EntityPath, message.MessageId, ex.Message);
                }
            }
        }
    }

    private static string Trim(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength];

    [LoggerMessage(Level = LogLevel.Information, Message = "{Queue} {MessageId} (delivery {DeliveryCount}) {Settlement}: {Summary}")]
    private static partial void LogOutcome(ILogger logger, string queue, string messageId, int deliveryCount, string settlement, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue} {MessageId} (delivery {DeliveryCount}) dead-lettered: {Reason}: {Description}")]
    private static partial void LogRejected(ILogger logger, string queue, string messageId, int deliveryCount, string reason, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue} {MessageId} (delivery {DeliveryCount}) abandoned for a retry: {Fault}")]
    private static partial void LogRetry(ILogger logger, string queue, string messageId, int deliveryCount, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle {MessageId}: {Reason}; Service Bus redelivers it")]
    private static partial void LogLockLost(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Queue} {MessageId} lock renewed until {LockedUntil:o}")]
    private static partial void LogRenewed(ILogger logger, string queue, string messageId, DateTimeOffset lockedUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue} {MessageId}: lock renewal failed, trying again: {Error}")]
    private static partial void LogRenewalFailed(ILogger logger, string queue, string messageId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained {Queue}: {Completed} completed, {Abandoned} abandoned, {DeadLettered} dead-lettered, budget exhausted: {BudgetExhausted}")]
    private static partial void LogDrained(ILogger logger, string queue, int completed, int abandoned, int deadLettered, bool budgetExhausted);
}
