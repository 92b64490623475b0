using DmarcCloud.LocalHost.Configuration;

namespace DmarcCloud.LocalHost.Tests.Configuration;

public class HostConfigurationReaderTests
{
    [Fact]
    public void Defaults_are_the_queue_extensions_defaults()
    {
        var config = HostConfigurationReader.Parse("{}");

        Assert.Equal(TimeSpan.FromMinutes(30), config.FunctionTimeout);
        Assert.Equal("api", config.HttpRoutePrefix);
        Assert.Equal((16, (int?)null, TimeSpan.Zero, 5, true, TimeSpan.FromMinutes(1)),
            (config.Queues.BatchSize, config.Queues.NewBatchThreshold, config.Queues.VisibilityTimeout, config.Queues.MaxDequeueCount, config.Queues.Base64, config.Queues.MaxPollingInterval));
        Assert.Equal(8 * Environment.ProcessorCount, config.Queues.EffectiveNewBatchThreshold);
    }

    [Fact]
    public void Queue_settings_are_read_case_insensitively_with_comments_and_trailing_commas()
    {
        var config = HostConfigurationReader.Parse("""
            {
              // as the Functions host reads it
              "functionTimeout": "00:10:00",
              "Extensions": {
                "Queues": { "BatchSize": 4, "newBatchThreshold": 2, "visibilityTimeout": "00:00:05", "maxDequeueCount": 3,
                            "messageEncoding": "None", "maxPollingInterval": "00:00:02", },
                "http": { "routePrefix": "/x/" },
              },
            }
            """);

        Assert.Equal(TimeSpan.FromMinutes(10), config.FunctionTimeout);
        Assert.Equal("x", config.HttpRoutePrefix);
        Assert.Equal((4, (int?)2, TimeSpan.FromSeconds(5), 3, false, TimeSpan.FromSeconds(2)),
            (config.Queues.BatchSize, config.Queues.NewBatchThreshold, config.Queues.VisibilityTimeout, config.Queues.MaxDequeueCount, config.Queues.Base64, config.Queues.MaxPollingInterval));
        Assert.Equal(2, config.Queues.EffectiveNewBatchThreshold);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("""{"functionTimeout":"soon"}""")]
    [InlineData("""{"extensions":{"queues":{"batchSize":33}}}""")]
    [InlineData("""{"extensions":{"queues":{"maxDequeueCount":0}}}""")]
    [InlineData("""{"extensions":{"queues":{"messageEncoding":"utf7"}}}""")]
    [InlineData("""{"extensions":{"queues":{"visibilityTimeout":"-00:00:01"}}}""")]
    public void Invalid_host_json_is_a_format_error(string json) =>
        Assert.Throws<FormatException>(() => HostConfigurationReader.Parse(json));
}
