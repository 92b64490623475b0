using DmarcCloud.LocalServiceBus.Configuration;

namespace DmarcCloud.LocalServiceBus.Tests;

public sealed class QueueConfigFileTests
{
    [Fact]
    public async Task Shipped_configuration_has_the_architecture_queues_with_the_infra_properties()
    {
        var queues = await QueueConfigFile.LoadAsync(Path.Combine(AppContext.BaseDirectory, "queues.json"));

        Assert.Superset(
            new HashSet<string> { "verdicts", "failure-reports", "aggregate-jobs", "outbound-reports" },
            queues.Select(q => q.Name).ToHashSet());
        var jobs = queues.Single(q => q.Name == "aggregate-jobs");
        Assert.Equal(5, jobs.MaxDeliveryCount);
        Assert.Equal(TimeSpan.FromMinutes(5), jobs.LockDuration);
        Assert.Equal(TimeSpan.FromDays(2), jobs.DefaultMessageTimeToLive);
        Assert.True(jobs.DeadLetteringOnMessageExpiration);
        Assert.All(queues, q => Assert.Equal(256 * 1024, q.MaxMessageSizeInBytes));
    }

    [Fact]
    public void Omitted_settings_take_the_Service_Bus_defaults()
    {
        var queue = Assert.Single(QueueConfigFile.Parse("""{ "queues": { "q": {} } }"""));
        Assert.Equal(10, queue.MaxDeliveryCount);
        Assert.Equal(TimeSpan.FromSeconds(30), queue.LockDuration);
        Assert.Null(queue.DefaultMessageTimeToLive);
        Assert.Null(queue.DuplicateDetectionHistoryTimeWindow);
        Assert.False(queue.DeadLetteringOnMessageExpiration);
        Assert.Equal(256 * 1024, queue.MaxMessageSizeInBytes);
    }

    [Theory]
    [InlineData("""{ "queues": { "q": { "maxDeliveryCont": 3 } } }""", "unknown setting")]
    [InlineData("""{ "queues": { "q": { "lockDuration": "30s" } } }""", "time span")]
    [InlineData("""{ "queues": { "q": { "lockDuration": "00:10:00" } } }""", "at most 5 minutes")]
    [InlineData("""{ "queues": { "q": { "maxDeliveryCount": 0 } } }""", "at least 1")]
    [InlineData("""{ "queues": { "q/x": {} } }""", "must not contain")]
    [InlineData("""{ "queue": {} }""", "\"queues\"")]
    [InlineData("""{ "queues": """, "not valid JSON")]
    public void Bad_configuration_is_refused_with_a_message_that_says_why(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => QueueConfigFile.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
