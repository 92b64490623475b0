using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Worker;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Plays the Storage Queues extension's queue trigger for one function, as host.json <c>extensions.queues</c>
/// says: receives up to <c>batchSize</c> messages, fetches the next batch when fewer than
/// <c>newBatchThreshold</c> still run, polls an empty queue with an exponential back-off up to
/// <c>maxPollingInterval</c>; a failed message becomes visible again after <c>visibilityTimeout</c>, and after
/// <c>maxDequeueCount</c> attempts it is moved to <c>&lt;queue&gt;-poison</c>. Messages are decoded as
/// <c>messageEncoding</c> says (base64 by default; one that does not decode goes to the poison queue at once).
/// While a function runs its message's lease is renewed. Storage outages are logged once and retried.
/// </summary>
public sealed class QueueTriggerListener
{
    private readonly LoadedFunction _function;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly QueueTriggerSettings _settings;
    private readonly Func<InvocationRequestFactory, CancellationToken, Task<InvocationOutcome>> _invoke;
    private readonly HostLog _log;
    private readonly TimeSpan _lease;
    private readonly SemaphoreSlim _finished = new(0);
    private int _running;
    private long _succeeded;
    private long _failed;
    private long _poisoned;
    private bool _outage;

    /// <summary>Creates the listener.</summary>
    /// <param name="function">The function.</param>
    /// <param name="connectionString">The storage connection string of the binding's <c>connection</c>.</param>
    /// <param name="queueName">The queue (after <c>%Setting%</c> resolution).</param>
    /// <param name="settings">host.json <c>extensions.queues</c>.</param>
    /// <param name="invoke">Invokes the function with the request the factory builds.</param>
    /// <param name="log">The host log.</param>
    /// <param name="lease">How long a received message stays invisible while it runs (renewed at half).</param>
    /// <param name="networkTimeout">How long one storage request may take before it is retried (once), then counted as an outage.</param>
    public QueueTriggerListener(
        LoadedFunction function, string connectionString, string queueName, QueueTriggerSettings settings,
        Func<InvocationRequestFactory, CancellationToken, Task<InvocationOutcome>> invoke, HostLog log, TimeSpan lease, TimeSpan networkTimeout)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        _function = function;
        _settings = settings;
        _invoke = invoke;
        _log = log;
        _lease = lease;
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        options.Retry.MaxRetries = 1;
        options.Retry.NetworkTimeout = networkTimeout;
        _queue = new QueueClient(connectionString, queueName, options);
        _poison = new QueueClient(connectionString, queueName + "-poison", options);
    }

    /// <summary>The queue.</summary>
    public string QueueName => _queue.Name;

    /// <summary>Messages whose invocation runs now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Invocations that succeeded (message deleted).</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>Invocations that failed (message retried or poisoned).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Messages moved to the poison queue.</summary>
    public long Poisoned => Interlocked.Read(ref _poisoned);

    /// <summary>Polls until <paramref name="stopping"/> is cancelled, then waits for the running invocations.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stopping.IsCancellationRequested)
        {
            if (Running > _settings.EffectiveNewBatchThreshold)
            {
                await WaitQuietlyAsync(_finished.WaitAsync(TimeSpan.FromSeconds(1), stopping)).ConfigureAwait(false);
                continue;
            }

            QueueMessage[] batch;
            try
            {
                batch = (await _queue.ReceiveMessagesAsync(_settings.BatchSize, _lease, stopping).ConfigureAwait(false)).Value;
                if (_outage)
                {
                    _outage = false;
                    _log.Host($"[{_function.Name}] queue {QueueName} reachable again");
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                batch = [];
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && StorageFaults.IsTransient(e))
            {
                if (!_outage)
                {
                    _outage = true;
                    _log.Problem($"[{_function.Name}] cannot receive from queue {QueueName} ({StorageFaults.Describe(e)}); retrying");
                }

                batch = [];
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // Not a known storage fault (a bug here or in the SDK): the trigger must not stop polling for good, as the
                // extension's listener does not; logged, then retried after the back-off like an empty receive.
                _log.Problem($"[{_function.Name}] receiving from queue {QueueName} failed unexpectedly ({e.GetType().Name}: {StorageFaults.Describe(e)}); retrying");
                batch = [];
            }

            if (batch.Length == 0)
            {
                await WaitQuietlyAsync(Task.Delay(delay, stopping)).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(_settings.MaxPollingInterval.Ticks, delay.Ticks * 2));
                continue;
            }

            delay = TimeSpan.FromMilliseconds(100);
            foreach (var message in batch)
            {
                Interlocked.Increment(ref _running);
                _ = Task.Run(() => ProcessAsync(message, stopping), CancellationToken.None);
            }
        }

        while (Running > 0)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stopping)
    {
        try
        {
            if (message.DequeueCount > _settings.MaxDequeueCount)
            {
                await PoisonAsync(message, message.PopReceipt, $"dequeue count {message.DequeueCount} exceeds maxDequeueCount {_settings.MaxDequeueCount}").ConfigureAwait(false);
                return;
            }

            byte[] body;
            try
            {
                body = _settings.Base64 ? Convert.FromBase64String(message.MessageText) : Encoding.UTF8.GetBytes(message.MessageText);
            }
            catch (FormatException)
            {
                await PoisonAsync(message, message.PopReceipt, "the message is not valid base64 (host.json extensions.queues.messageEncoding is base64)").ConfigureAwait(false);
                return;
            }

            var popReceipt = message.PopReceipt;
            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var lease = RenewAsync(message, () => popReceipt, r => popReceipt = r, renewal.Token);
            InvocationOutcome outcome;
            try
            {
                var delivery = new QueueDelivery
                {
                    Id = message.MessageId,
                    PopReceipt = message.PopReceipt,
                    Body = body,
                    DequeueCount = message.DequeueCount,
                    InsertedOn = message.InsertedOn,
                    ExpiresOn = message.ExpiresOn,
                    NextVisibleOn = message.NextVisibleOn,
                };
                outcome = await _invoke(() => InvocationPayloads.Queue(_function.TriggerName, _function.Get("dataType"), delivery), CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                await renewal.CancelAsync().ConfigureAwait(false);
                await lease.ConfigureAwait(false);
            }

            if (outcome.Succeeded)
            {
                Interlocked.Increment(ref _succeeded);
                await SettleAsync("delete", () => _queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None), message).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _failed);
            if (message.DequeueCount >= _settings.MaxDequeueCount)
            {
                await PoisonAsync(message, popReceipt, $"failed {message.DequeueCount} time(s), last: {outcome.Error}").ConfigureAwait(false);
                return;
            }

            _log.Problem($"[{_function.Name}] message {message.MessageId} failed (attempt {message.DequeueCount} of {_settings.MaxDequeueCount}): {outcome.Error}");
            await SettleAsync(
                "release",
                () => _queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: _settings.VisibilityTimeout, cancellationToken: CancellationToken.None),
                message).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _finished.Release();
        }
    }

    private async Task PoisonAsync(QueueMessage message, string popReceipt, string reason)
    {
        var moved = await SettleAsync("copy to poison queue", async () =>
        {
            await _poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return await _poison.SendMessageAsync(message.MessageText, CancellationToken.None).ConfigureAwait(false);
        }, message).ConfigureAwait(false);
        if (!moved)
        {
            return; // it reappears after its lease and is poisoned then
        }

        Interlocked.Increment(ref _poisoned);
        await SettleAsync("delete", () => _queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None), message).ConfigureAwait(false);
        _log.Problem($"[{_function.Name}] message {message.MessageId} moved to {_poison.Name}: {reason}");
    }

    private async Task<bool> SettleAsync<T>(string what, Func<Task<T>> action, QueueMessage message)
    {
        var wait = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action().ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 400)
            {
                // The lease was lost (another receive has it) or the message is gone: nothing left to do here.
                _log.Problem($"[{_function.Name}] {what} of message {message.MessageId} failed ({e.Status} {e.ErrorCode}); it was received again meanwhile");
                return false;
            }
            catch (Exception e) when (StorageFaults.IsTransient(e))
            {
                if (wait > TimeSpan.FromSeconds(10))
                {
                    _log.Problem($"[{_function.Name}] {what} of message {message.MessageId} failed {attempt} time(s) ({StorageFaults.Describe(e)}); it reappears after its lease");
                    return false;
                }

                await Task.Delay(wait, CancellationToken.None).ConfigureAwait(false);
                wait *= 2;
            }
        }
    }

    private async Task RenewAsync(QueueMessage message, Func<string> popReceipt, Action<string> update, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_lease / 2, cancellationToken).ConfigureAwait(false);
                try
                {
                    var receipt = await _queue.UpdateMessageAsync(message.MessageId, popReceipt(), visibilityTimeout: _lease, cancellationToken: cancellationToken).ConfigureAwait(false);
                    update(receipt.Value.PopReceipt);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && StorageFaults.IsTransient(e))
                {
                    _log.Problem($"[{_function.Name}] renewing the lease of message {message.MessageId} failed ({StorageFaults.Describe(e)})");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The invocation ended.
        }
    }

    private static async Task WaitQuietlyAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
