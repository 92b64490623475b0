using DmarcCloud.LocalHost.Configuration;

namespace DmarcCloud.LocalHost.Tests.Configuration;

public class HostConfigurationReaderTests
{
    [Fact]
    public async Task The_test_app_host_json_is_read_with_comments_and_trailing_commas()
    {
        var config = await HostConfigurationReader.ReadAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "App", "host.json"));

        Assert.Equal("dotnet", config.ExecutablePath);
        Assert.Equal(["DmarcCloud.LocalHost.Tests.dll", "handler"], config.Arguments);
        Assert.Equal("../..", config.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), config.FunctionTimeout);
        Assert.Equal(4, config.ServiceBusMaxConcurrentCalls);
    }

    [Theory]
    [InlineData("{}", null, 30 * 60, 16, "api", false)]
    [InlineData("""{"functionTimeout":"00:10:00","customHandler":{"description":{"defaultExecutablePath":"DmarcCloud.Functions"},"enableForwardingHttpRequest":true}}""", "DmarcCloud.Functions", 600, 16, "api", true)]
    [InlineData("""{"CustomHandler":{"Description":{"DefaultExecutablePath":"h"}},"extensions":{"serviceBus":{"maxConcurrentCalls":2},"http":{"routePrefix":"/x/"}}}""", "h", 30 * 60, 2, "x", false)]
    public void Host_json_values_and_defaults(string json, string? executable, int timeoutSeconds, int calls, string prefix, bool forwarding)
    {
        var config = HostConfigurationReader.Parse(json);

        Assert.Equal(executable, config.ExecutablePath);
        Assert.Equal(TimeSpan.FromSeconds(timeoutSeconds), config.FunctionTimeout);
        Assert.Equal(calls, config.ServiceBusMaxConcurrentCalls);
        Assert.Equal(prefix, config.HttpRoutePrefix);
        Assert.Equal(forwarding, config.EnableForwardingHttpRequest);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("""{"functionTimeout":"soon"}""")]
    public void Invalid_host_json_is_a_format_error(string json) =>
        Assert.Throws<FormatException>(() => HostConfigurationReader.Parse(json));
}
