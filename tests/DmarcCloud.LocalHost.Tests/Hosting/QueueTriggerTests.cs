using Azure.Storage.Queues;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>The queue trigger through the real worker, as the fixture's host.json says (maxDequeueCount 3, encoding none).</summary>
[Collection(FixtureAppCollection.Name)]
public class QueueTriggerTests(FixtureAppHost fixture)
{
    private QueueClient Queue(string name) =>
        new(fixture.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    [Fact]
    public async Task Each_message_is_processed_once_with_its_id_and_dequeue_count_then_deleted()
    {
        var queue = Queue(FixtureAppHost.Queue);
        await queue.CreateIfNotExistsAsync();
        var sent = new Dictionary<string, string>();
        for (var i = 0; i < 10; i++)
        {
            var text = $"ok-{Guid.NewGuid():N}";
            sent[text] = (await queue.SendMessageAsync(text)).Value.MessageId;
        }

        await fixture.WaitAsync(
            () => Task.FromResult(sent.Keys.All(k => fixture.Lines("collect").Any(l => l.StartsWith(k + "|", StringComparison.Ordinal)))),
            "all 10 messages collected");
        await fixture.WaitAsync(async () => (await queue.PeekMessagesAsync(32)).Value.Length == 0, "the queue empties");

        foreach (var (text, id) in sent)
        {
            Assert.Equal($"{text}|1|{id}", Assert.Single(fixture.Lines("collect"), l => l.StartsWith(text + "|", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_tried_max_dequeue_count_times_then_moved_to_the_poison_queue()
    {
        var queue = Queue(FixtureAppHost.Queue);
        var poison = Queue(FixtureAppHost.Queue + "-poison");
        await queue.CreateIfNotExistsAsync();
        var text = $"fail-{Guid.NewGuid():N}";
        await queue.SendMessageAsync(text);

        await fixture.WaitAsync(
            async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync(32)).Value.Any(m => m.MessageText == text),
            "the message reaches the poison queue");

        var attempts = fixture.Lines("collect").Where(l => l.StartsWith(text + "|", StringComparison.Ordinal)).Select(l => l.Split('|')[1]).ToArray();
        Assert.True(attempts.SequenceEqual(["1", "2", "3"]), $"attempts {string.Join(",", attempts)}\n{fixture.LogTail()}");
        Assert.Single((await poison.PeekMessagesAsync(32)).Value, m => m.MessageText == text);
        Assert.DoesNotContain((await queue.PeekMessagesAsync(32)).Value, m => m.MessageText == text);
        Assert.Contains(fixture.Console, l => l.Contains("moved to fixture-work-poison", StringComparison.Ordinal) && l.Contains("failing on purpose", StringComparison.Ordinal));
    }
}
