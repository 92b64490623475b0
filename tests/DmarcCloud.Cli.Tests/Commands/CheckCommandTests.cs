using System.Text.Json;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;

namespace DmarcCloud.Cli.Tests.Commands;

public class CheckCommandTests
{
    private static readonly string DemoZone = RepositoryPaths.Combine("samples", "dns", "demo.zone");
    private static readonly string Zone = Path.Combine(AppContext.BaseDirectory, "TestData", "dns", "check.zone");
    private static readonly string StaleZone = Path.Combine(AppContext.BaseDirectory, "TestData", "dns", "check-stale.zone");

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Every domain of the demo zone (it has an SPF or a DMARC record) with the DKIM selectors published for it.</summary>
    public static TheoryData<string, string[]> DemoDomains()
    {
        var zone = ZoneFileParser.Parse(File.ReadAllText(DemoZone)).Zone;
        var domains = zone.Names
            .Where(n => zone.GetRecords(n, DnsRecordType.Txt).Cast<TxtRecord>().Any(t => t.Text.StartsWith("v=spf1", StringComparison.Ordinal)))
            .Concat(zone.Names.Where(n => n.StartsWith("_dmarc.", StringComparison.Ordinal)).Select(n => n["_dmarc.".Length..]))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var data = new TheoryData<string, string[]>();
        foreach (var domain in domains)
        {
            var selectors = zone.Names.Where(n => n.EndsWith("._domainkey." + domain, StringComparison.Ordinal)).Select(n => n[..n.IndexOf('.', StringComparison.Ordinal)]).ToArray();
            data.Add(domain, selectors);
        }

        return data;
    }

    /// <summary>What the demo zone publishes, and so what the check must say: the exit code and one finding an admin acts on.</summary>
    private static readonly Dictionary<string, (int Exit, string Finding)> DemoExpectations = new(StringComparer.Ordinal)
    {
        ["sender.example"] = (0, "dmarc.enforced"),
        ["news.example"] = (0, "dmarc.next-step"),
        ["list.example"] = (0, "dmarc.no-rua"),
        ["esp.example"] = (1, "dmarc.missing"),
        ["forwarder.example"] = (1, "dmarc.missing"),
        ["nopolicy.example"] = (1, "dmarc.missing"),
        ["bad.example"] = (1, "dmarc.missing"),
    };

    [Theory]
    [MemberData(nameof(DemoDomains))]
    public async Task Every_demo_domain_gets_findings_an_admin_can_act_on(string domain, string[] selectors)
    {
        var args = new List<string> { "check", domain, "--dns-zone", DemoZone };
        foreach (var selector in selectors)
        {
            args.AddRange(["--selector", selector]);
        }

        var (exit, stdout, stderr) = await Run([.. args]);

        Assert.True(DemoExpectations.TryGetValue(domain, out var expected), $"the demo zone has a domain this test does not know: {domain}");
        Assert.True(expected.Exit == exit, $"exit {exit}\n{stdout}{stderr}");
        Assert.Contains($"domain: {domain}", stdout, StringComparison.Ordinal);
        Assert.Contains(expected.Finding, stdout, StringComparison.Ordinal);
        Assert.Contains("publish now (", stdout, StringComparison.Ordinal);
        Assert.Contains($"_dmarc.{domain}. IN TXT \"v=DMARC1; ", stdout, StringComparison.Ordinal); // a record to publish, ready to paste
        Assert.Equal(exit == 1, stdout.Contains("  ERROR ", StringComparison.Ordinal));
        foreach (var selector in selectors)
        {
            Assert.Contains($"dkim {selector}: rsa 2048 bits", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_demo_domain_without_DMARC_gets_the_starter_record_for_the_configured_mailbox()
    {
        var (exit, stdout, _) = await Run("check", "nopolicy.example", "--dns-zone", DemoZone, "--report-mailbox", "rua@reports.dmarccloud.example");

        Assert.Equal(1, exit);
        Assert.Contains("publish: _dmarc.nopolicy.example. IN TXT \"v=DMARC1; p=none; rua=mailto:rua@reports.dmarccloud.example\"", stdout, StringComparison.Ordinal);
        Assert.Contains("publish: nopolicy.example._report._dmarc.reports.dmarccloud.example. IN TXT \"v=DMARC1\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_one_object_with_findings_and_the_record_to_publish()
    {
        var (exit, stdout, _) = await Run("check", "example.com", "--dns-zone", Zone, "--json");

        Assert.Equal(1, exit); // rua outside example.com without an authorization record
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("example.com", root.GetProperty("domain").GetString());
        var codes = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToArray();
        Assert.Contains("dmarc.external-unauthorized", codes);
        Assert.Contains("dmarc.historic-pct", codes);
        Assert.Equal(1, root.GetProperty("spf").GetProperty("dnsLookups").GetInt32()); // include:_spf.example.com; nothing below it queries DNS
        Assert.Equal("include:_spf.example.com", root.GetProperty("spf").GetProperty("tree").GetProperty("children")[0].GetProperty("via").GetString());
        Assert.Equal("quarantine-partial", root.GetProperty("dmarc").GetProperty("stage").GetString());
        Assert.Equal("v=DMARC1; p=quarantine; pct=50; rua=mailto:rua@reports.example.net", root.GetProperty("generated").GetProperty("dmarcRecord").GetString());
    }

    [Fact]
    public async Task Compare_with_shows_each_answer_of_both_resolvers_and_the_gaps()
    {
        var (_, stdout, _) = await Run("check", "example.com", "--dns-zone", Zone, "--compare-with", StaleZone);

        Assert.Contains($"answers compared with {StaleZone}:", stdout, StringComparison.Ordinal);
        Assert.Contains("DIFF  TXT  _dmarc.example.com", stdout, StringComparison.Ordinal);
        Assert.Contains("there: v=DMARC1; p=none; rua=mailto:rua@reports.example.net", stdout, StringComparison.Ordinal);
        Assert.Contains("DIFF  TXT  _spf.example.com", stdout, StringComparison.Ordinal);
        Assert.Contains("there: NXDOMAIN", stdout, StringComparison.Ordinal);
        Assert.Contains("dns.propagation-gap", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check", "not a domain")]
    [InlineData("check", "localhost")]
    [InlineData("check", "example.com", "--selector", "bad selector")]
    [InlineData("check", "example.com", "--dns-zone", "x", "--dns-server", "127.0.0.1")]
    [InlineData("check", "example.com", "--report-mailbox", "nobody")]
    [InlineData("check", "example.com", "--json", "--json")]
    [InlineData("check", "example.com", "--frobnicate", "1")]
    public async Task Bad_arguments_exit_2_with_the_usage(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("usage: check <domain>", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_zone_file_is_bad_input_exit_3_in_one_line()
    {
        var (exit, stdout, stderr) = await Run("check", "example.com", "--dns-zone", "nope.zone");
        Assert.Equal(3, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("nope.zone", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Selectors_can_be_repeated_or_comma_separated()
    {
        var (_, stdout, _) = await Run("check", "sender.example", "--dns-zone", DemoZone, "--selector", "s2026,old", "--selector", "other", "--json");

        using var json = JsonDocument.Parse(stdout);
        var requested = json.RootElement.GetProperty("dkim").EnumerateArray().Where(k => k.GetProperty("requested").GetBoolean()).Select(k => k.GetProperty("selector").GetString());
        Assert.Equal(["s2026", "old", "other"], requested);
    }
}
