using System.Net;
using System.Text.Json;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Rollout;
using DmarcCloud.OfflineDns;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Core.Tests.Rollout;

/// <summary>
/// The run-local demo's data: the ten sample messages evaluated against samples/dns/demo.zone, the verdicts grouped
/// into the aggregate reports DmarcCloud sends (what run-local mails to MailDev), and those reports replayed under
/// p=quarantine and p=reject. The expected figures are counted by hand from samples/mail/manifest.json.
/// </summary>
public class DemoReportSimulationTests
{
    private static readonly DateOnly Day = new(2026, 11, 22);

    private static string Repo(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DmarcCloud.sln")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>The demo rows as the ingest reads them: each report written as RFC 9990 (or RFC 7489) XML, then parsed back.</summary>
    private static async Task<List<TrafficRow>> ReceivedDemoRowsAsync(AggregateReportFormat format)
    {
        var rows = new List<TrafficRow>();
        foreach (var content in await DemoReportsAsync())
        {
            using var xml = new MemoryStream();
            var (begin, end) = AggregateReportMetadata.RangeOf(content.Day);
            var organization = new ReportingOrganization("DmarcCloud demo", "dmarc@dmarccloud.example", "dmarccloud.example", null);
            AggregateReportXmlWriter.Write(xml, new AggregateReportMetadata(organization, "demo-" + content.Policy.Domain, begin, end), content.Policy, content.Rows, format);
            var file = ReceivedReportReader.Read(xml.ToArray());
            Assert.Null(file.Error);
            rows.AddRange(TrafficRows.FromReceived(Assert.Single(file.Reports).Aggregate!));
        }

        return rows;
    }

    private static async Task<List<TrafficRow>> DemoRowsAsync() =>
        [.. (await DemoReportsAsync()).SelectMany(c => TrafficRows.FromReport(c, "dmarccloud.example"))];

    private static async Task<List<AggregateReportContent>> DemoReportsAsync()
    {
        var zone = (await ZoneFileParser.LoadAsync(Repo("samples", "dns", "demo.zone"))).Zone;
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Repo("samples", "mail", "manifest.json")));
        var verdicts = new List<ReportableVerdict>();
        foreach (var entry in manifest.RootElement.EnumerateArray())
        {
            var receivedAt = DateTimeOffset.Parse(entry.GetProperty("receivedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var envelope = new SmtpEnvelope(
                IPAddress.Parse(entry.GetProperty("clientIp").GetString()!),
                entry.GetProperty("helo").GetString(),
                entry.GetProperty("mailFrom").GetString(),
                entry.GetProperty("rcptTo").EnumerateArray().Select(r => r.GetString()!).ToArray(),
                receivedAt);
            var file = entry.GetProperty("file").GetString()!;
            var verdict = await new MessageEvaluator(zone, null, new FakeTimeProvider(receivedAt))
                .EvaluateAsync(envelope, await File.ReadAllBytesAsync(Repo("samples", "mail", file)));
            if (ReportableVerdict.FromVerdict(file, verdict) is { } reportable)
            {
                verdicts.Add(reportable);
            }
        }

        var contents = new List<AggregateReportContent>();
        foreach (var domain in verdicts.GroupBy(v => v.Policy.Domain))
        {
            contents.AddRange(await new AggregateReportBuilder().BuildAsync(domain.ToAsyncEnumerable(), Day));
        }

        return contents;
    }

    [Theory]
    [InlineData(AggregateReportFormat.Rfc9990)]
    [InlineData(AggregateReportFormat.Rfc7489)]
    public async Task The_reports_as_received_and_parsed_by_the_ingest_give_the_same_rows(AggregateReportFormat format)
    {
        var received = await ReceivedDemoRowsAsync(format);
        var built = await DemoRowsAsync();

        Assert.Equal(built.Select(r => r with { Reporter = null }).OrderBy(r => r.HeaderFrom + r.SourceIp, StringComparer.Ordinal),
            received.Select(r => r with { Reporter = null }).OrderBy(r => r.HeaderFrom + r.SourceIp, StringComparer.Ordinal));
        var s = PolicySimulator.Simulate("sender.example", received, new SimulatedPolicy(DmarcPolicy.Reject), Day, Day);
        Assert.Equal((5L, 3L, 3L, 1L), (s.Messages, s.Failing, s.WouldReject, s.LegitimateFailing));
    }

    [Fact]
    public async Task Sender_example_under_reject_matches_the_hand_count()
    {
        // Hand count (manifest): sender.example is the author of 01 (pass, 192.0.2.25), 03 (spoof from 198.51.100.66,
        // SPF passes for bad.example only), 04 (tampered, from 198.51.100.67, DKIM and SPF fail), 05 (via list.example,
        // 203.0.113.10: only the list's own DKIM signature passes) and 06 (forwarded by 203.0.113.20, DKIM still passes).
        // 08 has no From and is not reported. So 5 messages, 3 failing, all three rejected under p=reject; 05 looks
        // legitimate (a DKIM pass for another domain), 03 and 04 do not; legitimate-looking mail = 01, 05, 06.
        var rows = await DemoRowsAsync();
        var s = PolicySimulator.Simulate("sender.example", rows, new SimulatedPolicy(DmarcPolicy.Reject), Day, Day);

        Assert.Equal(5, s.Messages);
        Assert.Equal(3, s.Failing);
        Assert.Equal(3, s.WouldReject);
        Assert.Equal(0, s.WouldQuarantine);
        Assert.Equal(0.6, s.AffectedShare, 10);
        Assert.Equal(
            [("198.51.100.66", SourceClass.Suspicious), ("198.51.100.67", SourceClass.Suspicious), ("203.0.113.10", SourceClass.Legitimate),
             ("192.0.2.25", SourceClass.Compliant), ("203.0.113.20", SourceClass.Compliant)],
            s.Sources.Select(x => (x.SourceIp, x.Class)));
        Assert.Equal(3, s.LegitimateMessages);
        Assert.Equal(1, s.LegitimateFailing);

        var advice = RolloutAdvisor.Advise("sender.example", DmarcRecord.Parse("v=DMARC1; p=reject; t=y; rua=mailto:dmarc-rua@sender.example").Record, rows, Day, Day);
        Assert.Equal(RolloutDecision.Hold, advice.Decision);
        Assert.False(advice.ReadyForReject);
        Assert.StartsWith("203.0.113.10: 1 of 1 messages fail (DKIM passes but for another domain (not aligned); SPF passes but for another MAIL FROM domain", advice.Actions[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task News_example_sends_only_through_its_ESP_and_passes()
    {
        // 02: news.example via esp.example (203.0.113.50): SPF passes for esp.example (unaligned), aligned DKIM passes.
        var rows = await DemoRowsAsync();
        var s = PolicySimulator.Simulate("news.example", rows, new SimulatedPolicy(DmarcPolicy.Reject), Day, Day);

        Assert.Equal(1, s.Messages);
        Assert.Equal(0, s.Failing);
        var source = Assert.Single(s.Sources);
        Assert.Equal(("203.0.113.50", SourceClass.Compliant), (source.SourceIp, source.Class));
        Assert.DoesNotContain(rows, r => r.HeaderFrom == "nopolicy.example"); // 07: no DMARC record, nothing reported
    }
}
