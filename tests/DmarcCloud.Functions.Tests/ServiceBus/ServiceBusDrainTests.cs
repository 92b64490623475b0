using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalServiceBus;
using DmarcCloud.LocalServiceBus.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Functions.Tests.ServiceBus;

/// <summary>
/// The drain and the publisher against the local Service Bus broker (functions/DmarcCloud.LocalServiceBus) through
/// the real Azure.Messaging.ServiceBus SDK: settlement from the handler's outcome, delivery counting to the queue's
/// MaxDeliveryCount, bounded concurrency, the time budget, batches and duplicate detection.
/// </summary>
public sealed class ServiceBusDrainTests : IAsyncLifetime
{
    private const string Queue = "jobs";
    private const string ShortLockQueue = "short-lock-jobs";
    private static readonly TimeSpan ShortLock = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private LocalServiceBusBroker? _broker;
    private ServiceBusClient? _client;

    private ServiceBusClient Client => _client ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var options = new LocalServiceBusOptions();
        options.AddQueue(Queue, q =>
        {
            q.MaxDeliveryCount = 3;
            q.LockDuration = TimeSpan.FromMinutes(1);
            q.DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(10);
        });
        options.AddQueue(ShortLockQueue, q =>
        {
            q.MaxDeliveryCount = 3;
            q.LockDuration = ShortLock;
        });
        _broker = await LocalServiceBusBroker.StartAsync(options);
        _client = new ServiceBusClient(_broker.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100), TryTimeout = Patience },
        });
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_outcome_settles_its_message_complete_dead_letter_or_abandon_with_the_fault()
    {
        await SendAsync("ok-1", "ok-2", "bad-1", "retry-1");
        var handler = new ScriptedHandler(m => m.MessageId switch
        {
            var id when id.StartsWith("ok", StringComparison.Ordinal) => ServiceBusMessageOutcome.Completed("done"),
            var id when id.StartsWith("bad", StringComparison.Ordinal) => ServiceBusMessageOutcome.DeadLetter("NotAJob", "the body is not a job"),
            _ => throw new TimeoutException("SMTP relay did not answer"),
        });

        var summary = await Drain().DrainAsync(handler);

        Assert.Equal((2, 1, 1, false), (summary.Completed, summary.Abandoned, summary.DeadLettered, summary.BudgetExhausted));
        var (active, deadLettered, _) = _broker!.GetCounts(Queue);
        Assert.Equal((1, 1), (active, deadLettered));

        await using var deadLetters = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await deadLetters.ReceiveMessageAsync(Patience);
        Assert.Equal(("bad-1", "NotAJob", "the body is not a job"), (dead.MessageId, dead.DeadLetterReason, dead.DeadLetterErrorDescription));

        await using var receiver = Client.CreateReceiver(Queue);
        var retried = await receiver.ReceiveMessageAsync(Patience);
        Assert.Equal("retry-1", retried.MessageId);
        Assert.Equal(2, retried.DeliveryCount);
        Assert.Equal("TimeoutException: SMTP relay did not answer", retried.ApplicationProperties[ServiceBusDrain.LastFaultProperty]);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_handled_once_per_run_and_dead_lettered_at_max_delivery_count_with_its_fault()
    {
        await SendAsync("job-1");
        var handler = new ScriptedHandler(_ => ServiceBusMessageOutcome.Retry("destination check deferred: DNS SERVFAIL"));

        for (var run = 1; run <= 3; run++)
        {
            var summary = await Drain().DrainAsync(handler);
            Assert.Equal(1, summary.Abandoned);
        }

        Assert.Equal(3, handler.Calls.Count);
        Assert.Equal([1, 2, 3], handler.Calls.Select(c => c.DeliveryCount));
        Assert.Equal(0, (await Drain().DrainAsync(handler)).Received);
        await using var deadLetters = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await deadLetters.ReceiveMessageAsync(Patience);
        Assert.Equal("job-1", dead.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.Equal("destination check deferred: DNS SERVFAIL", dead.ApplicationProperties[ServiceBusDrain.LastFaultProperty]);
    }

    [Fact]
    public async Task No_more_than_max_concurrency_messages_are_in_hand_at_once()
    {
        var ids = Enumerable.Range(1, 40).Select(i => $"m-{i}").ToArray();
        await SendAsync(ids);
        var inHand = 0;
        var peak = 0;
        var handler = new ScriptedHandler(async _ =>
        {
            var now = Interlocked.Increment(ref inHand);
            InterlockedMax(ref peak, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref inHand);
            return ServiceBusMessageOutcome.Completed("done");
        });

        var summary = await Drain(new ServiceBusDrainOptions { MaxConcurrency = 4 }).DrainAsync(handler);

        Assert.Equal(40, summary.Completed);
        Assert.InRange(peak, 1, 4);
        Assert.Equal(ids.Order(StringComparer.Ordinal), handler.Calls.Select(c => c.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal((0, 0, 0), _broker!.GetCounts(Queue));
    }

    [Fact]
    public async Task A_spent_time_budget_stops_receiving_and_leaves_the_rest_for_the_next_run()
    {
        await SendAsync("a", "b", "c", "d", "e");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var handler = new ScriptedHandler(_ =>
        {
            time.Advance(TimeSpan.FromMinutes(5)); // the first message takes longer than the 4-minute budget
            return ServiceBusMessageOutcome.Completed("done");
        });

        var summary = await Drain(new ServiceBusDrainOptions { MaxConcurrency = 1 }, time).DrainAsync(handler);

        Assert.True(summary.BudgetExhausted);
        Assert.Equal(1, summary.Completed);
        Assert.Equal(4, _broker!.GetCounts(Queue).Active);
        Assert.Equal(4, (await Drain().DrainAsync(handler)).Completed);
    }

    [Fact]
    public async Task The_publisher_sends_in_batches_and_a_resent_message_id_is_dropped_by_duplicate_detection()
    {
        await using var publisher = new ServiceBusPublisher(Client);
        var big = new string('x', 4000);
        var messages = Enumerable.Range(1, 150).Select(i => ServiceBusPublisher.CreateJsonMessage(new Payload(i, big), PayloadJson.Default.Payload, $"p-{i}")).ToList();

        await publisher.SendAsync(Queue, messages);
        await publisher.SendAsync(Queue, [ServiceBusPublisher.CreateJsonMessage(new Payload(7, "again"), PayloadJson.Default.Payload, "p-7")]);

        var handler = new ScriptedHandler(_ => ServiceBusMessageOutcome.Completed("done"));
        var summary = await Drain().DrainAsync(handler);
        Assert.Equal(150, summary.Completed);
        var seven = Assert.Single(handler.Calls, c => c.MessageId == "p-7");
        Assert.Equal("application/json", seven.ContentType);
        Assert.Equal(big, seven.Body.ToObjectFromJson<Payload>()!.Text);
    }

    [Fact]
    public async Task The_clients_from_di_reach_the_broker_that_ServiceBusConnection_names()
    {
        await using var app = AppServices.Build("UseDevelopmentStorage=true", new RecordingPublisher(), settings: new Dictionary<string, string?>
        {
            ["ServiceBusConnection"] = _broker!.ConnectionString,
            ["ServiceBusDrain:ReceiveWaitTime"] = "00:00:02",
        });

        await app.GetRequiredService<ServiceBusPublisher>().SendAsync(Queue, [ServiceBusPublisher.CreateJsonMessage(new Payload(1, "via DI"), PayloadJson.Default.Payload, "di-1")]);
        var handler = new ScriptedHandler(_ => ServiceBusMessageOutcome.Completed("done"));
        var summary = await app.GetRequiredService<ServiceBusDrain>().DrainAsync(handler);

        Assert.Equal(1, summary.Completed);
        Assert.Equal("via DI", Assert.Single(handler.Calls).Body.ToObjectFromJson<Payload>()!.Text);
    }

    [Fact]
    public async Task A_job_that_outlasts_its_lock_keeps_it_and_is_completed_once()
    {
        await SendToAsync(ShortLockQueue, "long-1");
        var handler = new ScriptedHandler(async _ =>
        {
            await Task.Delay(ShortLock * 4); // without renewal the broker releases the message after 2 s
            return ServiceBusMessageOutcome.Completed("done");
        }, ShortLockQueue);

        var summary = await Drain().DrainAsync(handler);

        Assert.Equal((1, 0, 0), (summary.Completed, summary.Abandoned, summary.DeadLettered));
        Assert.Equal(["long-1"], handler.Calls.Select(c => c.MessageId));
        Assert.Equal((0, 0, 0), _broker!.GetCounts(ShortLockQueue));
    }

    [Fact]
    public async Task A_message_held_for_its_abandon_while_another_job_runs_keeps_its_lock_and_is_handled_once_per_run()
    {
        await SendToAsync(ShortLockQueue, "retry-1", "long-1");
        var handler = new ScriptedHandler(async m =>
        {
            if (m.MessageId == "retry-1")
            {
                return ServiceBusMessageOutcome.Retry("SMTP relay said 451");
            }

            await Task.Delay(ShortLock * 4);
            return ServiceBusMessageOutcome.Completed("done");
        }, ShortLockQueue);

        var summary = await Drain().DrainAsync(handler);

        Assert.Equal((1, 1), (summary.Completed, summary.Abandoned));
        Assert.Equal(1, handler.Calls.Count(c => c.MessageId == "retry-1")); // a lost lock would have handed it back to this run
        await using var receiver = Client.CreateReceiver(ShortLockQueue);
        var retried = await receiver.ReceiveMessageAsync(Patience);
        Assert.Equal(("retry-1", 2), (retried.MessageId, retried.DeliveryCount));
        Assert.Equal("SMTP relay said 451", retried.ApplicationProperties[ServiceBusDrain.LastFaultProperty]);
    }

    private ServiceBusDrain Drain(ServiceBusDrainOptions? options = null, TimeProvider? time = null) =>
        new(Client, Microsoft.Extensions.Options.Options.Create(options ?? new ServiceBusDrainOptions { ReceiveWaitTime = TimeSpan.FromSeconds(2) }), time ?? TimeProvider.System, NullLogger<ServiceBusDrain>.Instance);

    private Task SendAsync(params string[] ids) => SendToAsync(Queue, ids);

    private async Task SendToAsync(string queue, params string[] ids)
    {
        await using var sender = Client.CreateSender(queue);
        foreach (var id in ids)
        {
            await sender.SendMessageAsync(new ServiceBusMessage(BinaryData.FromString($"{{\"id\":\"{id}\"}}")) { MessageId = id });
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class ScriptedHandler(Func<ServiceBusReceivedMessage, Task<ServiceBusMessageOutcome>> script, string queue = Queue) : IServiceBusMessageHandler
    {
        public ScriptedHandler(Func<ServiceBusReceivedMessage, ServiceBusMessageOutcome> script)
            : this(m => Task.FromResult(script(m)))
        {
        }

        public ConcurrentQueue<ServiceBusReceivedMessage> Calls { get; } = new();

        public string QueueName => queue;

        public Task<ServiceBusMessageOutcome> HandleAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue(message);
            return script(message);
        }
    }
}

/// <summary>A test message body.</summary>
public sealed record Payload(int Number, string Text);

[System.Text.Json.Serialization.JsonSerializable(typeof(Payload))]
internal sealed partial class PayloadJson : System.Text.Json.Serialization.JsonSerializerContext;
