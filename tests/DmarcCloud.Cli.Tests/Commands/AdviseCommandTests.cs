using System.Text.Json;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Cli.Tests.Commands;

/// <summary>`dmarccloud advise` over a fortnight of RFC 9990 report files written for the test.</summary>
public sealed class AdviseCommandTests : IDisposable
{
    private static readonly DateOnly First = new(2026, 11, 1);
    private readonly string _folder = Directory.CreateTempSubdirectory("dmarccloud-advise-").FullName;

    /// <summary>
    /// One report per day for 14 days: 192.0.2.1 sends 10 aligned-DKIM messages a day; a spoofer sends 2 a day that fail
    /// (SPF passes only for its own domain) from a different address each day (203.0.113.5, .6, …: never steady); with
    /// <paramref name="withListTraffic"/>, 198.51.100.7 also fails once on the first day with an unaligned DKIM pass.
    /// </summary>
    public AdviseCommandTests() => WriteFortnight(withListTraffic: false);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private void WriteFortnight(bool withListTraffic)
    {
        var policy = new PublishedPolicy("example.com", "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com", DmarcPolicy.Reject, null, null,
            AlignmentMode.Relaxed, AlignmentMode.Relaxed, true, PsdFlag.Unspecified, null, null, ["mailto:d@example.com"], [], DiscoveryMethod.TreeWalk);
        var organization = new ReportingOrganization("Receiver", "noreply@receiver.example", "receiver.example", null);
        for (var d = 0; d < 14; d++)
        {
            var day = First.AddDays(d);
            var rows = new List<AggregateReportRow>
            {
                new("192.0.2.1", 10, ReportDisposition.Pass, true, false, [], "example.com", "example.com", "receiver.example",
                    [new DkimSignatureResult(DkimResult.Pass, "example.com", "sel", "rsa-sha256")], new SpfCheckResult(SpfResult.Fail, SpfIdentity.MailFrom, "example.com")),
                new($"203.0.113.{5 + d}", 2, ReportDisposition.Quarantine, false, false, [], "example.com", "attacker.example", "receiver.example",
                    [], new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, "attacker.example")),
            };
            if (withListTraffic && d == 0)
            {
                rows.Add(new("198.51.100.7", 1, ReportDisposition.Quarantine, false, false, [], "example.com", "list.example", "receiver.example",
                    [new DkimSignatureResult(DkimResult.Pass, "list.example", "l", "rsa-sha256")], new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, "list.example")));
            }

            var (begin, end) = AggregateReportMetadata.RangeOf(day);
            using var file = File.Create(Path.Combine(_folder, $"receiver.example!example.com!{begin}!{end}.xml"));
            AggregateReportXmlWriter.Write(file, new AggregateReportMetadata(organization, $"r{d}", begin, end), policy, rows, AggregateReportFormat.Rfc9990);
        }
    }

    [Fact]
    public async Task Only_spoofing_fails_so_reject_is_advised_with_the_record()
    {
        var (exit, stdout, stderr) = await Run("advise", "example.com", "--reports", _folder, "--record", "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("window: 2026-11-01 .. 2026-11-14 (14 day(s) with reports, 168 message(s))", stdout, StringComparison.Ordinal);
        Assert.Contains("stage: reject-testing", stdout, StringComparison.Ordinal);
        Assert.Contains("decision: advance", stdout, StringComparison.Ordinal);
        Assert.Contains("ready for reject: yes", stdout, StringComparison.Ordinal);
        Assert.Contains("  _dmarc.example.com. IN TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"", stdout, StringComparison.Ordinal);
        Assert.Contains("under p=reject: 0 quarantined, 28 rejected of 168 (16.67%)", stdout, StringComparison.Ordinal);
        Assert.Contains("14 suspicious source(s) sent 28 failing message(s) (203.0.113.10, 203.0.113.11, 203.0.113.12, 203.0.113.13, 203.0.113.14, …)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_legitimate_looking_failing_source_holds_the_rollout_json()
    {
        WriteFortnight(withListTraffic: true);
        var (exit, stdout, _) = await Run("advise", "example.com", "--reports", _folder, "--record", "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("hold", root.GetProperty("decision").GetString());
        Assert.False(root.GetProperty("readyForReject").GetBoolean());
        Assert.False(root.TryGetProperty("nextStep", out _));
        var list = root.GetProperty("reject").GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("sourceIp").GetString() == "198.51.100.7");
        Assert.Equal("legitimate", list.GetProperty("class").GetString());
        Assert.Equal(141, root.GetProperty("reject").GetProperty("legitimateMessages").GetInt64()); // 140 compliant + 1 from the list
    }

    [Fact]
    public async Task A_short_window_is_not_enough()
    {
        var (_, stdout, _) = await Run("advise", "example.com", "--reports", _folder, "--to", "2026-11-03", "--record", "v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:d@example.com");

        Assert.Contains("decision: hold", stdout, StringComparison.Ordinal);
        Assert.Contains("reports cover 3 day(s); at least 14 are needed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_about_other_domains_only_exit_1()
    {
        var (exit, stdout, _) = await Run("advise", "other.example", "--reports", _folder, "--record", "v=DMARC1; p=none");
        Assert.Equal(1, exit);
        Assert.Contains("no aggregate report rows about other.example", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("advise", "example.com")]
    [InlineData("advise", "example.com", "--reports", "/no/such/folder")]
    [InlineData("advise", "example.com", "--reports", ".", "--from", "1 Nov")]
    [InlineData("advise", "example.com", "--reports", ".", "--record", "v=DMARC1; p=block")]
    public async Task Bad_arguments_exit_2(params string[] args)
    {
        var (exit, _, stderr) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Contains("usage: advise <domain>", stderr, StringComparison.Ordinal);
    }
}
