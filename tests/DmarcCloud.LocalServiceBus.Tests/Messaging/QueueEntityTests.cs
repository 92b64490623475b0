using DmarcCloud.LocalServiceBus.Configuration;
using DmarcCloud.LocalServiceBus.Messaging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.LocalServiceBus.Tests.Messaging;

/// <summary>The queue's rules on a fake clock, without the network (the SDK-driven tests cover the wire).</summary>
public sealed class QueueEntityTests : IDisposable
{
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    readonly string data = Path.Combine(Path.GetTempPath(), "dmarccloud-sbq-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Lock_expiries_count_as_deliveries_up_to_MaxDeliveryCount_then_the_message_is_dead_lettered()
    {
        using var queue = new QueueEntity(new QueueOptions("q") { MaxDeliveryCount = 2, LockDuration = TimeSpan.FromSeconds(30) }, clock, null);
        var consumer = new RecordingConsumer();
        queue.AddConsumer(consumer, deadLetterQueue: false);
        queue.Enqueue([Payload("m")]);
        Assert.Single(consumer.Delivered);
        clock.Advance(TimeSpan.FromSeconds(31));
        queue.Sweep();
        Assert.Equal(2, consumer.Delivered.Count); // redelivered
        Assert.Equal(1, consumer.Delivered[1].DeliveryCount);
        clock.Advance(TimeSpan.FromSeconds(31));
        queue.Sweep();

        Assert.Equal((0, 1, 0), queue.Counts);
        Assert.Equal(SettlementResult.LockLost, queue.Settle(consumer.Delivered[1].Token, Settlement.Complete));
    }

    [Fact]
    public void Released_message_does_not_count_as_a_delivery()
    {
        using var queue = new QueueEntity(new QueueOptions("q"), clock, null);
        var consumer = new RecordingConsumer();
        queue.AddConsumer(consumer, deadLetterQueue: false);
        queue.Enqueue([Payload("m")]);

        Assert.Equal(SettlementResult.Settled, queue.Settle(consumer.Delivered[0].Token, Settlement.Release));
        Assert.Equal(0, consumer.Delivered[1].DeliveryCount);
        Assert.Equal(SettlementResult.Settled, queue.Settle(consumer.Delivered[1].Token, Settlement.Abandon));
        Assert.Equal(1, consumer.Delivered[2].DeliveryCount);
    }

    [Fact]
    public void Journal_replay_lets_a_dead_letter_copy_win_over_an_unrecorded_removal()
    {
        var options = new QueueOptions("q");
        long sequence;
        using (var queue = new QueueEntity(options, clock, data))
        {
            sequence = queue.Enqueue([Payload("m")])[0];
        }

        // Simulate a crash between the two records of a DLQ move: the DLQ copy is journaled, the removal is not.
        var journal = Path.Combine(data, "q.journal");
        var message = new BrokeredMessage(sequence, Payload("m"))
        {
            EnqueuedTime = clock.GetUtcNow().UtcDateTime,
            InDeadLetterQueue = true,
            DeadLetterReason = "r",
        };
        using (var writer = DmarcCloud.LocalServiceBus.Storage.QueueJournal.AppendTo(journal))
        {
            writer.AppendStored(message);
        }

        using var reopened = new QueueEntity(options, clock, data);
        Assert.Equal((0, 1, 0), reopened.Counts);
    }

    static byte[] Payload(string body)
    {
        using var message = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>(System.Text.Encoding.UTF8.GetBytes(body)) });
        message.Properties.MessageId = Guid.NewGuid().ToString();
        return MessageCodec.Encode(message);
    }

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A PeekLock receiver that always wants more.</summary>
    sealed class RecordingConsumer : IMessageConsumer
    {
        public List<(Guid Token, int DeliveryCount)> Delivered { get; } = new();

        public bool ReceiveAndDelete => false;

        public int Capacity => 1;

        public bool TryDeliver(BrokeredMessage message, Guid deliveryTag, DateTime? lockedUntil)
        {
            Delivered.Add((deliveryTag, message.DeliveryCount));
            return true;
        }
    }
}
