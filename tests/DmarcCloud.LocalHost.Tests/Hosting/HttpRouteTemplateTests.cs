using DmarcCloud.LocalHost.Hosting;

namespace DmarcCloud.LocalHost.Tests.Hosting;

public class HttpRouteTemplateTests
{
    [Theory]
    [InlineData("health", "health", "")]
    [InlineData("health", "HEALTH/", "")]
    [InlineData("reports/{domain}", "reports/example.com", "domain=example.com")]
    [InlineData("reports/{domain}/{day?}", "reports/example.com", "domain=example.com")]
    [InlineData("reports/{domain}/{day?}", "reports/example.com/2026-11-22", "domain=example.com;day=2026-11-22")]
    [InlineData("files/{*rest}", "files/a/b/c", "rest=a/b/c")]
    [InlineData("health", "healthz", null)]
    [InlineData("health", "health/x", null)]
    [InlineData("reports/{domain}", "reports", null)]
    public void Routes_match_like_the_host(string template, string path, string? expected)
    {
        var values = new HttpRouteTemplate(template).Match(path);

        Assert.Equal(expected, values is null ? null : string.Join(';', values.Select(v => $"{v.Key}={v.Value}")));
    }
}
