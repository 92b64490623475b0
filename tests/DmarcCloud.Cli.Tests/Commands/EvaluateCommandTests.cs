using System.Text.Json;

namespace DmarcCloud.Cli.Tests.Commands;

/// <summary>`dmarccloud evaluate` run in-process against an offline zone file and a real signed message.</summary>
public class EvaluateCommandTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "dmarc", name);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Prints_the_header_and_the_disposition()
    {
        var (code, output, _) = await RunAsync("evaluate", Data("signed.eml"), "--ip", "192.0.2.1", "--mail-from", "bounce@example.com",
            "--helo", "mx.example.com", "--dns-zone", Data("example.zone"), "--now", "1700000000");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Authentication-Results: dmarccloud; spf=pass smtp.mailfrom=bounce@example.com;", lines[0], StringComparison.Ordinal);
        Assert.Contains("dkim=pass", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("dmarc=pass (p=reject dis=none) header.from=example.com policy.dmarc=reject", lines[0], StringComparison.Ordinal);
        Assert.Equal("disposition: none", lines[1]);
    }

    [Theory]
    [InlineData("treewalk", "treewalk")]
    [InlineData("psl", "psl")]
    public async Task Json_output_is_one_verdict_object(string discovery, string expected)
    {
        var (code, output, _) = await RunAsync("evaluate", Data("signed.eml"), "--ip", "203.0.113.5", "--mail-from", "x@example.com",
            "--dns-zone", Data("example.zone"), "--now", "1700000000", "--discovery", discovery, "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("pass", root.GetProperty("result").GetString()); // DKIM aligned pass rescues the SPF fail
        Assert.Equal("fail", root.GetProperty("spf").GetProperty("result").GetString());
        Assert.Equal(expected, root.GetProperty("discoveryMethod").GetString());
        Assert.Equal("none", root.GetProperty("disposition").GetString());
        Assert.Equal("2023-11-14T22:13:20+00:00", root.GetProperty("evaluatedAt").GetString());
    }

    [Theory]
    [InlineData("evaluate")]
    [InlineData("evaluate", "x.eml")]
    [InlineData("evaluate", "x.eml", "--ip", "not-an-ip")]
    [InlineData("evaluate", "x.eml", "--ip", "192.0.2.1", "--discovery", "dns")]
    [InlineData("evaluate", "x.eml", "--ip", "192.0.2.1", "--now", "yesterday")]
    public async Task Bad_arguments_exit_2(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains("usage: evaluate", error, StringComparison.Ordinal);
    }
}
