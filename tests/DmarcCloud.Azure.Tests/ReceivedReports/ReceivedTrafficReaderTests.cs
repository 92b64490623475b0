using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.DomainTools;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Rollout;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using Microsoft.Extensions.Time.Testing;
using static DmarcCloud.Azure.Tests.ReceivedReports.SyntheticReports;

namespace DmarcCloud.Azure.Tests.ReceivedReports;

/// <summary>
/// The adapter from the received-report store to the rollout simulator, on Azurite: reports ingested through the real
/// intake come back as simulator rows named with the ingest's PTR names and sending services; the run-local demo's own
/// aggregate reports, ingested, simulate to the figures counted by hand from samples/mail/manifest.json.
/// </summary>
public class ReceivedTrafficReaderTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateOnly Day = new(2026, 11, 22);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private (ReportIngestService Ingest, ReceivedReportStore Store, ReceivedTrafficReader Reader, string Container) Create(IDnsResolver? ptr = null)
    {
        var prefix = "T" + Guid.NewGuid().ToString("N")[..10];
        var container = "rt-" + prefix.ToLowerInvariant();
        var store = new ReceivedReportStore(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString),
            new ReceivedReportStoreOptions { TablePrefix = prefix, Container = container });
        var enricher = new SourceEnricher(ptr ?? new DnsZone(), new SourceEnricherOptions { LookupTimeout = TimeSpan.FromSeconds(1), ReportBudget = TimeSpan.FromSeconds(5) }, time: _clock);
        return (new ReportIngestService(store, enricher, time: _clock), store, new ReceivedTrafficReader(store), container);
    }

    [Fact]
    public async Task The_run_local_demo_reports_ingested_simulate_to_the_hand_count()
    {
        // Hand count (samples/mail/manifest.json, as DemoReportSimulationTests in Core): sender.example is the author of
        // 01 (pass, 192.0.2.25), 03 (spoof, 198.51.100.66), 04 (tampered, 198.51.100.67), 05 (list, 203.0.113.10: only
        // the list's DKIM passes) and 06 (forwarded, 203.0.113.20, DKIM still passes): 5 messages, 3 failing, 3 rejected
        // under p=reject; 05 looks legitimate, 03 and 04 do not. news.example: 02 only, passing.
        var (ingest, _, reader, _) = Create();
        foreach (var content in await DemoReportsAsync())
        {
            var result = await ingest.IngestAsync(DemoReportXml(content), $"demo-{content.Policy.Domain}.xml", "test");
            Assert.Equal(1, result.Stored);
        }

        var traffic = await reader.ReadAsync("sender.example", Day.AddDays(-14), Day);
        Assert.Equal(1, traffic.Reports);
        Assert.Empty(traffic.Warnings);
        var s = PolicySimulator.Simulate("sender.example", traffic.Rows, new SimulatedPolicy(DmarcPolicy.Reject), Day.AddDays(-14), Day);
        Assert.Equal((5L, 3L, 3L, 0L), (s.Messages, s.Failing, s.WouldReject, s.WouldQuarantine));
        Assert.Equal(
            [("198.51.100.66", SourceClass.Suspicious), ("198.51.100.67", SourceClass.Suspicious), ("203.0.113.10", SourceClass.Legitimate),
             ("192.0.2.25", SourceClass.Compliant), ("203.0.113.20", SourceClass.Compliant)],
            s.Sources.Select(x => (x.SourceIp, x.Class)));
        Assert.Equal((3L, 1L), (s.LegitimateMessages, s.LegitimateFailing));

        var quarantine = PolicySimulator.Simulate("sender.example", traffic.Rows, new SimulatedPolicy(DmarcPolicy.Quarantine), Day.AddDays(-14), Day);
        Assert.Equal((3L, 0L), (quarantine.WouldQuarantine, quarantine.WouldReject));

        var news = await reader.ReadAsync("news.example", Day, Day);
        var n = PolicySimulator.Simulate("news.example", news.Rows, new SimulatedPolicy(DmarcPolicy.Reject), Day, Day);
        Assert.Equal((1L, 0L), (n.Messages, n.Failing));
    }

    [Fact]
    public async Task The_domain_tools_advice_reads_the_record_from_dns_and_the_rows_from_the_store()
    {
        var (ingest, _, reader, _) = Create();
        foreach (var content in await DemoReportsAsync())
        {
            await ingest.IngestAsync(DemoReportXml(content), null, "test");
        }

        var zone = (await ZoneFileParser.LoadAsync(RepositoryPaths.Combine("samples", "dns", "demo.zone"))).Zone;
        var tools = new DomainToolsService(zone, reader, time: new FakeTimeProvider(new DateTimeOffset(Day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)));

        var advice = await tools.AdviseAsync("sender.example", days: 15);
        var simulation = await tools.SimulateAsync("sender.example", new SimulatedPolicy(DmarcPolicy.Reject), days: 15);

        Assert.Null(advice.Error);
        Assert.Equal(1, advice.Reports);
        Assert.Equal("v=DMARC1; p=reject; rua=mailto:dmarc-rua@sender.example; ruf=mailto:dmarc-ruf@sender.example; fo=1", advice.PublishedRecord);
        Assert.Equal(RolloutDecision.Done, advice.Advice!.Decision); // demo.zone already publishes p=reject
        Assert.Equal(5, advice.Advice.Reject.Messages);
        Assert.Equal(3, simulation.Simulation.WouldReject);
        Assert.Equal(Day.AddDays(-14), simulation.Simulation.From);
    }

    [Fact]
    public async Task A_dns_outage_while_reading_the_published_record_is_an_error_not_a_start_from_nothing()
    {
        var (ingest, _, reader, _) = Create();
        await ingest.IngestAsync(Xml("google.com", "t1", "example.com", Day, [new("192.0.2.1", 2, "none", "pass", "pass")]), null, "test");
        var tools = new DomainToolsService(new FailingResolver(), reader, time: _clock);

        var advice = await tools.AdviseAsync("example.com", days: 15);

        Assert.Equal(DmarcPolicyLookupStatus.TempError, advice.PolicyLookup);
        Assert.Null(advice.Advice);
        Assert.Contains("could not be read", advice.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_carry_the_ingests_ptr_name_and_sending_service()
    {
        var dns = new DnsZone()
            .AddName(DnsName.ReverseName(IPAddress.Parse("198.51.100.7")), DnsRecordType.Ptr, "o1.sendgrid.net")
            .AddName(DnsName.ReverseName(IPAddress.Parse("192.0.2.1")), DnsRecordType.Ptr, "mx.example.com");
        var (ingest, _, reader, _) = Create(dns);
        await ingest.IngestAsync(Xml("google.com", "n1", "example.com", Day, [new("198.51.100.7", 4, "none", "fail", "pass"), new("192.0.2.1", 6, "none", "pass", "pass")]), null, "test");

        var traffic = await reader.ReadAsync("example.com", Day, Day);

        var bySource = traffic.Rows.ToDictionary(r => r.SourceIp);
        Assert.Equal(("o1.sendgrid.net", "SendGrid", 4L), (bySource["198.51.100.7"].ReverseName, bySource["198.51.100.7"].Service, bySource["198.51.100.7"].Count));
        Assert.Equal(("mx.example.com", (string?)null), (bySource["192.0.2.1"].ReverseName, bySource["192.0.2.1"].Service));
        Assert.Equal("google.com", bySource["192.0.2.1"].Reporter);
    }

    [Fact]
    public async Task A_report_whose_raw_file_is_gone_is_read_from_its_per_source_figures_with_a_warning()
    {
        var (ingest, _, reader, container) = Create();
        await ingest.IngestAsync(Xml("google.com", "g1", "example.com", Day, [new("203.0.113.9", 3, "reject", "fail", "fail"), new("209.85.220.41", 10, "none", "pass", "fail")]), null, "test");
        await foreach (var blob in new BlobContainerClient(azurite.ConnectionString, container).GetBlobsAsync())
        {
            await new BlobContainerClient(azurite.ConnectionString, container).DeleteBlobAsync(blob.Name);
        }

        var traffic = await reader.ReadAsync("example.com", Day.AddDays(-1), Day);

        var warning = Assert.Single(traffic.Warnings);
        Assert.Contains("13 message(s)", warning, StringComparison.Ordinal);
        var s = PolicySimulator.Simulate("example.com", traffic.Rows, new SimulatedPolicy(DmarcPolicy.Reject), Day, Day);
        Assert.Equal((13L, 3L, 3L), (s.Messages, s.Failing, s.WouldReject));
        Assert.Equal("Google Workspace", s.Sources.Single(x => x.SourceIp == "209.85.220.41").Service); // the catalog's ranges
    }

    [Fact]
    public async Task Records_equal_but_for_their_count_become_one_row_with_the_sum()
    {
        var (ingest, _, reader, _) = Create();
        await ingest.IngestAsync(Xml("google.com", "m1", "example.com", Day, [new("192.0.2.1", 2, "none", "pass", "pass"), new("192.0.2.1", 3, "none", "pass", "pass")]), null, "test");
        await ingest.IngestAsync(Xml("google.com", "m2", "example.com", Day, [new("192.0.2.1", 4, "none", "pass", "pass"), new("192.0.2.9", 1, "reject", "fail", "fail")]), null, "test");

        var traffic = await reader.ReadAsync("example.com", Day, Day);

        Assert.Equal(2, traffic.Reports);
        Assert.Equal([("192.0.2.1", 9L), ("192.0.2.9", 1L)], traffic.Rows.Select(r => (r.SourceIp, r.Count)).OrderBy(x => x.SourceIp, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Only_the_windows_days_are_read()
    {
        var (ingest, _, reader, _) = Create();
        await ingest.IngestAsync(Xml("google.com", "d1", "example.com", Day, [new("192.0.2.1", 2, "none", "pass", "pass")]), null, "test");
        await ingest.IngestAsync(Xml("google.com", "d2", "example.com", Day.AddDays(-20), [new("192.0.2.1", 7, "none", "pass", "pass")]), null, "test");

        var traffic = await reader.ReadAsync("example.com", Day.AddDays(-14), Day);

        Assert.Equal(1, traffic.Reports);
        Assert.Equal(2, traffic.Rows.Sum(r => r.Count));
    }

    private static byte[] DemoReportXml(AggregateReportContent content)
    {
        using var xml = new MemoryStream();
        var (begin, end) = AggregateReportMetadata.RangeOf(content.Day);
        var organization = new ReportingOrganization("DmarcCloud demo", "dmarc@dmarccloud.example", "dmarccloud.example", null);
        AggregateReportXmlWriter.Write(xml, new AggregateReportMetadata(organization, "demo-" + content.Policy.Domain, begin, end), content.Policy, content.Rows, AggregateReportFormat.Rfc9990);
        return xml.ToArray();
    }

    /// <summary>The aggregate reports run-local's report timer sends for the samples: each manifest message evaluated against demo.zone.</summary>
    private static async Task<List<AggregateReportContent>> DemoReportsAsync()
    {
        var zone = (await ZoneFileParser.LoadAsync(RepositoryPaths.Combine("samples", "dns", "demo.zone"))).Zone;
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "mail", "manifest.json")));
        var verdicts = new List<ReportableVerdict>();
        foreach (var entry in manifest.RootElement.EnumerateArray())
        {
            var receivedAt = DateTimeOffset.Parse(entry.GetProperty("receivedAt").GetString()!, CultureInfo.InvariantCulture);
            var envelope = new SmtpEnvelope(
                IPAddress.Parse(entry.GetProperty("clientIp").GetString()!),
                entry.GetProperty("helo").GetString(),
                entry.GetProperty("mailFrom").GetString(),
                entry.GetProperty("rcptTo").EnumerateArray().Select(r => r.GetString()!).ToArray(),
                receivedAt);
            var file = entry.GetProperty("file").GetString()!;
            var verdict = await new MessageEvaluator(zone, null, new FakeTimeProvider(receivedAt))
                .EvaluateAsync(envelope, await File.ReadAllBytesAsync(RepositoryPaths.Combine("samples", "mail", file)));
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

    private sealed class FailingResolver : IDnsResolver
    {
        public Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(DnsResult<TxtRecord>.TemporaryFailure("SERVFAIL"));

        public Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(DnsResult<IPAddress>.TemporaryFailure("SERVFAIL"));

        public Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(DnsResult<IPAddress>.TemporaryFailure("SERVFAIL"));

        public Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(DnsResult<MxRecord>.TemporaryFailure("SERVFAIL"));

        public Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default) => Task.FromResult(DnsResult<string>.TemporaryFailure("SERVFAIL"));
    }
}
