using System.Text.Json;
using DmarcCloud.Testing;

namespace DmarcCloud.Cli.Tests.Commands;

public class DkimArcCommandTests
{
    private static readonly string Rfc8463 = RepositoryPaths.Combine("tests", "DmarcCloud.Core.Tests", "TestData", "dkim", "rfc8463-appendix-a");
    private static readonly string ArcData = Path.Combine(AppContext.BaseDirectory, "TestData", "arc");

    [Fact]
    public async Task Dkim_prints_one_line_per_signature()
    {
        var (code, output, _) = await RunAsync("dkim", Path.Combine(Rfc8463, "A.3-signed-message.eml"), "--dns-zone", Path.Combine(Rfc8463, "A.2-dns-records.zone"));

        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("dkim=pass (256-bit key) header.d=football.example.com header.i=@football.example.com header.s=brisbane header.a=ed25519-sha256 header.b=", lines[0], StringComparison.Ordinal);
        Assert.Contains("header.s=test", lines[1], StringComparison.Ordinal);
        Assert.Contains("(1024-bit key)", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dkim_json_lists_results_and_reports_missing_keys()
    {
        var emptyZone = Path.Combine(Path.GetTempPath(), $"empty-{Guid.NewGuid():N}.zone");
        await File.WriteAllTextAsync(emptyZone, "; no records\n");
        try
        {
            var (code, output, _) = await RunAsync("dkim", Path.Combine(Rfc8463, "A.3-signed-message.eml"), "--dns-zone", emptyZone, "--json", "--now", "1528637909");

            Assert.Equal(0, code);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(2, json.RootElement.GetArrayLength());
            Assert.All(json.RootElement.EnumerateArray(), r =>
            {
                Assert.Equal("permerror", r.GetProperty("result").GetString());
                Assert.Contains("no key", r.GetProperty("reason").GetString(), StringComparison.Ordinal);
            });
        }
        finally
        {
            File.Delete(emptyZone);
        }
    }

    [Fact]
    public async Task Arc_prints_the_chain_and_each_hop()
    {
        var (code, output, _) = await RunAsync("arc", Path.Combine(ArcData, "stalwart-002.eml"), "--dns-zone", Path.Combine(ArcData, "stalwart-002.zone"));

        Assert.Equal(0, code);
        Assert.StartsWith("arc=pass (i=2 manchego.org) header.oldest-pass=1", output, StringComparison.Ordinal);
        Assert.Contains("i=1 d=scamorza.org s=ed seal=valid ams=valid", output, StringComparison.Ordinal);
        Assert.Contains("i=2 d=manchego.org s=rsa seal=valid ams=valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arc_json_has_cv_and_hops()
    {
        var (code, output, _) = await RunAsync("arc", Path.Combine(ArcData, "stalwart-002.eml"), "--dns-zone", Path.Combine(ArcData, "stalwart-002.zone"), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("pass", json.RootElement.GetProperty("cv").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("hops").GetArrayLength());
    }

    [Theory]
    [InlineData("dkim")]
    [InlineData("arc", "x.eml", "--now", "yesterday")]
    [InlineData("dkim", "x.eml", "--frobnicate", "1")]
    public async Task Bad_arguments_are_usage_errors(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
