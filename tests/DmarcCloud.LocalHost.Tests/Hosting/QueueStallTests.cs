using Azure.Storage.Queues;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>
/// Storage that stops answering (an overloaded Azurite: its queue costs grow with the backlog) makes every receive
/// time out. The queue trigger must log the outage and keep polling, and process messages once storage answers again.
/// Before the fix the SDK's time-out (an AggregateException of TaskCanceledExceptions) was not taken for a storage
/// fault: the listener's loop ended, unobserved, and the queue was never read again (found by the pipeline bench).
/// </summary>
public sealed class QueueStallTests() : OwnAzuriteTest("stall")
{
    [Fact]
    public async Task A_queue_that_stops_answering_is_polled_again_once_it_answers()
    {
        var azurite = Azurite;
        await using var proxy = new SwitchableTcpProxy(azurite.QueuePort, enabled: true);
        var throughProxy = AzuriteProcess.BuildConnectionString(azurite.BlobPort, proxy.Port, azurite.TablePort);
        var options = FixtureAppHost.Options(throughProxy, Output, Console) with
        {
            StorageNetworkTimeout = TimeSpan.FromSeconds(1),
            QueueMaxPollingInterval = TimeSpan.FromMilliseconds(500),
        };
        var queue = new QueueClient(azurite.ConnectionString, FixtureAppHost.Queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await queue.CreateIfNotExistsAsync();
        await using var host = await LocalFunctionsHost.StartAsync(options);

        var before = $"before-{Guid.NewGuid():N}";
        await queue.SendMessageAsync(before);
        await WaitForAsync(() => Collected(before), "the first message is processed");

        proxy.Stalled = true;
        await WaitForAsync(() => Console.Any(l => l.Contains($"cannot receive from queue {FixtureAppHost.Queue}", StringComparison.Ordinal)), "the stall is logged as an outage");
        Assert.True(proxy.StalledConnections > 0);

        proxy.Stalled = false;
        var after = $"after-{Guid.NewGuid():N}";
        await queue.SendMessageAsync(after);
        await WaitForAsync(() => Collected(after), "the message sent after the stall is processed");

        Assert.Contains(Console, l => l.Contains($"queue {FixtureAppHost.Queue} reachable again", StringComparison.Ordinal));
        Assert.DoesNotContain(Console, l => l.Contains("stopped", StringComparison.Ordinal) && l.Contains("queue trigger", StringComparison.Ordinal));
    }

    private bool Collected(string text)
    {
        var path = Path.Combine(Output, "collect.txt");
        return File.Exists(path) && File.ReadAllLines(path).Any(l => l.StartsWith(text + "|", StringComparison.Ordinal));
    }

    private Task WaitForAsync(Func<bool> condition, string what) =>
        FixtureAppHost.WaitUntilAsync(() => Task.FromResult(condition()), what, 90, _ => string.Join('\n', Console.TakeLast(30)));
}
