using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DmarcCloud.Testing;

namespace DmarcCloud.Cli.Tests.Commands;

public class SpfCommandTests
{
    private static readonly string Zone = Path.Combine(AppContext.BaseDirectory, "TestData", "dns", "spf.zone");

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("192.0.2.7", "user@example.com", "pass", "ip4:192.0.2.0/24")]
    [InlineData("198.51.100.1", "user@example.com", "fail", "-all")]
    [InlineData("198.51.100.1", "user@soft.example.com", "softfail", "~all")]
    [InlineData("198.51.100.1", "user@bad.example.com", "permerror", null)]
    [InlineData("198.51.100.1", "user@nothing.example.com", "none", null)]
    [InlineData("192.0.2.10", "", "pass", "a")] // null reverse-path: postmaster@mail.example.com
    public async Task Json_output_is_one_object(string ip, string mailFrom, string result, string? mechanism)
    {
        var (exit, stdout, _) = await Run("spf", "--ip", ip, "--helo", "mail.example.com", "--mail-from", mailFrom, "--dns-zone", Zone, "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(result, root.GetProperty("result").GetString());
        Assert.Equal(mechanism, root.GetProperty("mechanism").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("dnsLookups").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("voidLookups").ValueKind);
        Assert.True(root.TryGetProperty("explanation", out _));
    }

    [Fact]
    public async Task Fail_shows_the_exp_explanation()
    {
        var (exit, stdout, _) = await Run("spf", "--ip", "198.51.100.1", "--helo", "mail.example.com", "--mail-from", "u@example.com", "--dns-zone", Zone);
        Assert.Equal(0, exit);
        Assert.Contains("spf: fail", stdout, StringComparison.Ordinal);
        Assert.Contains("explanation: 198.51.100.1 is not allowed to send for example.com", stdout, StringComparison.Ordinal);
        Assert.Contains("mechanism: -all", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--helo", "h.example.com", "--mail-from", "a@example.com")] // no --ip
    [InlineData("--ip", "999.1.1.1", "--helo", "h.example.com", "--mail-from", "a@example.com")]
    [InlineData("--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com", "--dns-zone", "x.zone", "--dns-server", "127.0.0.1")]
    [InlineData("--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com", "--dns-server", "127.0.0.1:notaport")]
    [InlineData("--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com", "--colour", "red")]
    public async Task Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(["spf", .. args]);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.StartsWith("dmarccloud spf: ", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: spf --ip", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zone_file_with_errors_is_a_usage_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dmarccloud-{Guid.NewGuid():N}.zone");
        await File.WriteAllTextAsync(path, "$ORIGIN example.com.\n@ TXT \"v=spf1 -all\"\nmail A 300.0.0.1\n");
        try
        {
            var (exit, _, stderr) = await Run("spf", "--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com", "--dns-zone", path);
            Assert.Equal(2, exit);
            Assert.Contains("line 3", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Unreachable_dns_server_is_one_line_and_exit_4()
    {
        // A loopback port with nothing listening: the query is refused or times out, a temporary failure.
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        // Issue 14: it used to wait ~25 s and print temperror; now one probe query fails fast with one line.
        var (exit, stdout, stderr) = await Run("spf", "--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com", "--dns-server", $"127.0.0.1:{port}", "--json");
        Assert.Equal(4, exit);
        Assert.Empty(stdout);
        Assert.StartsWith($"dmarccloud spf: DNS server 127.0.0.1:{port} did not answer", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("192.0.2.10", "alice@example.com", "mail.example.com", "pass")]
    [InlineData("198.51.100.7", "alice@example.com", "mail.example.com", "pass")]
    [InlineData("2001:db8:100::25", "alice@example.com", "mail.example.com", "pass")]
    [InlineData("203.0.113.9", "alice@example.com", "mail.example.com", "fail")]
    [InlineData("203.0.113.9", "bob@softfail.example.org", "mail.example.com", "softfail")]
    [InlineData("203.0.113.9", "bob@neutral.example.org", "mail.example.com", "neutral")]
    [InlineData("203.0.113.9", "bob@nospf.example.org", "mail.example.com", "none")]
    [InlineData("203.0.113.9", "bob@broken.example.org", "mail.example.com", "permerror")]
    [InlineData("203.0.113.9", "bob@loop.example.org", "mail.example.com", "permerror")]
    [InlineData("203.0.113.9", "bob@voids.example.org", "mail.example.com", "permerror")]
    [InlineData("203.0.113.9", "bob@redirect.example.org", "mail.example.com", "fail")]
    [InlineData("192.0.2.10", "", "mail.example.com", "pass")]
    public async Task Demo_zone_scenarios_give_the_results_its_header_lists(string ip, string mailFrom, string helo, string result)
    {
        var zone = RepositoryPaths.Combine("samples", "dns", "spf-demo.zone");
        var (exit, stdout, stderr) = await Run("spf", "--ip", ip, "--helo", helo, "--mail-from", mailFrom, "--dns-zone", zone, "--json");
        Assert.True(exit == 0, stderr);
        Assert.Equal(result, JsonDocument.Parse(stdout).RootElement.GetProperty("result").GetString());
    }
}
