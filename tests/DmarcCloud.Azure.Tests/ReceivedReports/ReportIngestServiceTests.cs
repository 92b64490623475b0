using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using Microsoft.Extensions.Time.Testing;
using static DmarcCloud.Azure.Tests.ReceivedReports.SyntheticReports;

namespace DmarcCloud.Azure.Tests.ReceivedReports;

/// <summary>Received-report intake and queries on Azurite through the real Table and Blob SDK clients.</summary>
public class ReportIngestServiceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private (ReportIngestService Ingest, ReceivedReportQueryService Query, ReceivedReportStore Store, TableServiceClient Tables, string Prefix) Create(IDnsResolver? dns = null, DmarcCloud.Core.ReportIngest.ReportIngestOptions? options = null)
    {
        var prefix = "R" + Guid.NewGuid().ToString("N")[..10];
        var tables = new TableServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var store = new ReceivedReportStore(tables, blobs, new ReceivedReportStoreOptions { TablePrefix = prefix, Container = "rr-" + prefix.ToLowerInvariant() });
        dns ??= new DnsZone()
            .AddName(DnsName.ReverseName(IPAddress.Parse("209.85.220.41")), DnsRecordType.Ptr, "mail-sor-f41.google.com")
            .AddName(DnsName.ReverseName(IPAddress.Parse("198.51.100.7")), DnsRecordType.Ptr, "o7.email.example-shop.co.uk");
        var enricher = new SourceEnricher(dns, new SourceEnricherOptions { LookupTimeout = TimeSpan.FromSeconds(1), ReportBudget = TimeSpan.FromSeconds(5) }, time: _clock);
        return (new ReportIngestService(store, enricher, options, _clock), new ReceivedReportQueryService(store, _clock), store, tables, prefix);
    }

    private static readonly Row[] GoogleRows =
    [
        new("209.85.220.41", 40, "none", "pass", "pass"),
        new("198.51.100.7", 7, "quarantine", "fail", "pass"),
        new("203.0.113.9", 3, "reject", "fail", "fail"),
        new("209.85.220.41", 10, "none", "pass", "fail"),
    ];

    [Fact]
    public async Task A_report_becomes_the_summary_figures_sources_and_reporters()
    {
        var (ingest, query, _, _, _) = Create();

        var result = await ingest.IngestAsync(Xml("google.com", "r1", "example.com", Day, GoogleRows), "r1.xml", "test");
        await ingest.IngestAsync(Xml("Outlook.com", "o1", "example.com", Day.AddDays(1), [new("198.51.100.7", 5, "none", "pass", "fail")]), "o1.xml", "test");

        Assert.Equal(1, result.Stored);
        var summary = await query.GetSummaryAsync("example.com", to: new DateOnly(2026, 11, 25));
        Assert.Equal(65, summary.Messages);
        Assert.Equal(62, summary.Compliant);
        Assert.Equal(3, summary.NotCompliant);
        Assert.Equal(7, summary.Quarantined);
        Assert.Equal(3, summary.Rejected);
        Assert.Equal(47, summary.SpfPass);
        Assert.Equal(18, summary.SpfFail);
        Assert.Equal(55, summary.DkimPass);
        Assert.Equal(10, summary.DkimFail);
        Assert.Equal(2, summary.TotalReporters);
        Assert.Equal(2, summary.TotalReports);
        Assert.Equal(15, summary.Daily.Count);
        Assert.Equal(60, summary.Daily.Single(d => d.Day == "2026-11-20").Messages);
        Assert.Equal(5, summary.Daily.Single(d => d.Day == "2026-11-21").Messages);

        var sources = await query.GetSourcesAsync("example.com", to: new DateOnly(2026, 11, 25));
        var google = sources[0];
        Assert.Equal("209.85.220.41", google.Ip);
        Assert.Equal(50, google.Messages);
        Assert.Equal("mail-sor-f41.google.com", google.Ptr);
        Assert.Equal("google.com", google.BaseDomain);
        Assert.Equal("Google Workspace", google.Service);
        Assert.Equal(0.8, google.SpfAlignedPassRate);
        Assert.Equal(1.0, google.DkimAlignedPassRate);
        var shop = sources.Single(s => s.Ip == "198.51.100.7");
        Assert.Equal(12, shop.Messages);
        Assert.Equal("example-shop.co.uk", shop.BaseDomain);
        Assert.Equal(["google.com", "Outlook.com"], shop.Reporters);
        Assert.Null(sources.Single(s => s.Ip == "203.0.113.9").Ptr);

        var reporters = await query.GetReportersAsync("example.com", to: new DateOnly(2026, 11, 25));
        Assert.Equal(["google.com", "Outlook.com"], reporters.Select(r => r.OrgName));
        Assert.Equal([60L, 5L], reporters.Select(r => r.Messages));
        Assert.Equal(["example.com"], (await query.ListDomainsAsync()).Select(d => d.Domain));
    }

    [Fact]
    public async Task Ingesting_the_same_report_twice_changes_nothing()
    {
        var (ingest, query, _, tables, prefix) = Create();
        var xml = Xml("google.com", "dup-1", "example.org", Day, GoogleRows);

        var first = await ingest.IngestAsync(xml, "a.xml", "test");
        var before = await Snapshot(tables, prefix);
        var summaryBefore = await query.GetSummaryAsync("example.org", to: Day);
        var second = await ingest.IngestAsync(xml, "a.xml", "test");
        // The same report (org, report ID) inside a different file (gzip) is a duplicate too.
        var third = await ingest.IngestAsync(Gzip(xml), "a.xml.gz", "test");

        Assert.Equal("stored", first.Items.Single().Outcome);
        Assert.Equal("duplicate", second.Items.Single().Outcome);
        Assert.Equal("duplicate", third.Items.Single().Outcome);
        Assert.Equal(before, (await Snapshot(tables, prefix)).Where(r => !r.StartsWith("Rejections", StringComparison.Ordinal)).ToList());
        var summaryAfter = await query.GetSummaryAsync("example.org", to: Day);
        Assert.Equal(summaryBefore.Messages, summaryAfter.Messages);
        Assert.Equal(summaryBefore.TotalReports, summaryAfter.TotalReports);
        Assert.Equal(60, summaryAfter.Messages);
    }

    [Fact]
    public async Task A_retry_after_a_crash_before_the_index_row_writes_the_same_rows()
    {
        var (ingest, query, store, tables, prefix) = Create();
        var report = DmarcCloud.Core.ReportIngest.AggregateReportParser.Parse(Xml("google.com", "crash-1", "example.net", Day, GoogleRows)).Value!;
        var names = new Dictionary<string, SourceEnrichment>();

        // The first attempt wrote everything but died before the index row: simulate by saving, then deleting the index.
        await store.SaveAggregateAsync(report, "blob", "file", names, _clock.GetUtcNow());
        var key = ReceivedReportStore.ReportKey(report);
        await store.Index.DeleteEntityAsync(key[..2], key);
        var afterCrash = (await Snapshot(tables, prefix)).Where(r => !r.StartsWith("ReportIndex", StringComparison.Ordinal)).ToList();

        var retry = await ingest.IngestAsync(Xml("google.com", "crash-1", "example.net", Day, GoogleRows), "x.xml", "test");

        Assert.Equal("stored", retry.Items.Single().Outcome);
        var afterRetry = await Snapshot(tables, prefix);
        Assert.Equal(afterCrash.Count + 1, afterRetry.Count);
        Assert.Equal(60, (await query.GetSummaryAsync("example.net", to: Day)).Messages);
        Assert.Equal(1, (await query.GetSummaryAsync("example.net", to: Day)).TotalReports);
    }

    [Fact]
    public async Task A_dns_outage_does_not_block_ingest()
    {
        var (ingest, query, _, _, _) = Create(new SilentResolver());

        var result = await ingest.IngestAsync(Xml("google.com", "dns-1", "example.com", Day, GoogleRows), "r.xml", "test");

        Assert.Equal(1, result.Stored);
        var sources = await query.GetSourcesAsync("example.com", to: Day);
        Assert.All(sources, s => Assert.Null(s.Ptr));
        // The published ranges still name the service without DNS.
        Assert.Equal("Google Workspace", sources.Single(s => s.Ip == "209.85.220.41").Service);
    }

    [Fact]
    public async Task The_single_report_is_read_back_and_its_raw_file_downloaded()
    {
        var (ingest, query, _, _, _) = Create();
        var gz = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "received-reports", "nice-input.xml.gz"));

        var result = await ingest.IngestAsync(gz, "nice-input.xml.gz", "test");

        var key = result.Items.Single().ReportKey!;
        var stored = await query.GetReportAsync("example.com", key);
        Assert.NotNull(stored);
        Assert.Equal(20, stored.Report!.Records.Count);
        Assert.Equal(3047, stored.Summary.Messages);
        var raw = await query.DownloadReportAsync("example.com", key);
        Assert.Equal(gz, raw!.Value.Content);
        Assert.Equal("application/gzip", raw.Value.ContentType);
        var list = await query.ListReportsAsync("example.com", days: 366, to: stored.Summary.Day is var d ? DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : null);
        Assert.Equal(key, list.Single().Key);
        Assert.Null(await query.GetReportAsync("example.com", "nope"));
    }

    [Fact]
    public async Task Failure_reports_are_stored_once_and_listed()
    {
        var (ingest, query, _, _, _) = Create();
        var mail = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "received-reports", "failure-004.eml"));

        var first = await ingest.IngestAsync(mail, "f.eml", "test");
        var second = await ingest.IngestAsync(mail, "f.eml", "test");

        Assert.Equal("stored", first.Items.Single().Outcome);
        Assert.Equal("duplicate", second.Items.Single().Outcome);
        var failures = await query.ListFailuresAsync("interpublication.org", days: 366, to: new DateOnly(2021, 10, 10));
        var failure = Assert.Single(failures);
        Assert.Equal("148.163.85.135", failure.SourceIp);
        Assert.Equal("dmarc", failure.AuthFailure);
    }

    [Fact]
    public async Task An_unreadable_file_is_kept_and_recorded_with_its_reason()
    {
        var (ingest, _, store, _, _) = Create();

        var result = await ingest.IngestAsync("<feedback><report_metadata>"u8.ToArray(), "broken.xml", "test");

        Assert.Equal("rejected", result.Items.Single().Outcome);
        Assert.NotNull(result.Blob);
        var rows = await store.Rejections.QueryAsync<TableEntity>().ToListAsync();
        var row = Assert.Single(rows);
        Assert.Contains("malformed XML", row.GetString("Reason"), StringComparison.Ordinal);
        Assert.Equal("broken.xml", row.GetString("FileName"));
        Assert.Equal(result.Blob, row.GetString("Blob"));
    }

    /// <summary>2,500 distinct sources (above the packing threshold), 3 records each except the named Google address.</summary>
    private static List<Row> ManySources()
    {
        var rows = new List<Row>();
        for (var i = 0; i < 2_500; i++)
        {
            var ip = i == 0 ? "209.85.220.41" : $"10.{i >> 8}.{i & 255}.1";
            rows.Add(new(ip, 2, "none", "pass", "pass"));
            rows.Add(new(ip, 1, "reject", "fail", "fail"));
            rows.Add(new(ip, 1, "quarantine", "fail", "pass"));
        }

        return rows;
    }

    [Fact]
    public async Task A_report_with_thousands_of_sources_is_stored_in_packed_rows_and_read_back_per_source()
    {
        var (ingest, query, _, tables, prefix) = Create();
        var xml = Xml("google.com", "many-1", "example.org", Day, ManySources());

        var first = await ingest.IngestAsync(xml, "many.xml", "test");

        Assert.Equal("stored", first.Items.Single().Outcome);
        var sources = await query.GetSourcesAsync("example.org", to: Day, top: 10_000);
        Assert.Equal(2_500, sources.Count);
        Assert.All(sources, s => Assert.Equal(4, s.Messages));
        Assert.All(sources, s => Assert.Equal(3, s.Compliant));
        Assert.All(sources, s => Assert.Equal(1, s.Rejected));
        Assert.All(sources, s => Assert.Equal(1, s.Quarantined));
        var google = sources.Single(s => s.Ip == "209.85.220.41");
        Assert.Equal("mail-sor-f41.google.com", google.Ptr);
        Assert.Equal("google.com", google.BaseDomain);
        Assert.Equal(["google.com"], google.Reporters);
        var summary = await query.GetSummaryAsync("example.org", to: Day);
        Assert.Equal(10_000, summary.Messages);
        Assert.Equal(7_500, summary.Compliant);
        var rows = await tables.GetTableClient(prefix + "Sources").QueryAsync<TableEntity>().ToListAsync();
        Assert.Equal(2_500 / 200 + (2_500 % 200 == 0 ? 0 : 1), rows.Count);

        // Re-ingesting changes nothing; a retry after a crash before the index row rewrites the same packed rows.
        var before = await Snapshot(tables, prefix);
        Assert.Equal("duplicate", (await ingest.IngestAsync(xml, "many.xml", "test")).Items.Single().Outcome);
        Assert.Equal(before, await Snapshot(tables, prefix));
        var key = ReceivedReportStore.ReportKey(DmarcCloud.Core.ReportIngest.AggregateReportParser.Parse(xml).Value!);
        await tables.GetTableClient(prefix + "ReportIndex").DeleteEntityAsync(key[..2], key);
        Assert.Equal("stored", (await ingest.IngestAsync(xml, "many.xml", "test")).Items.Single().Outcome);
        Assert.Equal(before.Count, (await Snapshot(tables, prefix)).Count);
        Assert.Equal(10_000, (await query.GetSummaryAsync("example.org", to: Day)).Messages);
        Assert.Equal(2_500, (await query.GetSourcesAsync("example.org", to: Day, top: 10_000)).Count);
    }

    [Fact]
    public async Task Sources_beyond_the_limit_are_counted_under_other_sources_with_a_warning()
    {
        var (ingest, query, _, tables, prefix) = Create(options: DmarcCloud.Core.ReportIngest.ReportIngestOptions.Default with { MaxSourcesPerReport = 2 });
        Row[] rows =
        [
            new("192.0.2.1", 5, "none", "pass", "pass"),
            new("192.0.2.2", 6, "none", "pass", "fail"),
            new("192.0.2.3", 7, "reject", "fail", "fail"),
            new("192.0.2.1", 1, "none", "pass", "pass"),
            new("192.0.2.4", 8, "quarantine", "fail", "fail"),
        ];

        var result = await ingest.IngestAsync(Xml("google.com", "limit-1", "example.com", Day, rows), "l.xml", "test");

        Assert.Equal("stored", result.Items.Single().Outcome);
        var sources = (await query.GetSourcesAsync("example.com", to: Day)).ToDictionary(s => s.Ip);
        Assert.Equal(["(other sources)", "192.0.2.1", "192.0.2.2"], sources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(6, sources["192.0.2.1"].Messages);
        Assert.Equal(15, sources["(other sources)"].Messages);
        Assert.Equal(7, sources["(other sources)"].Rejected);
        Assert.Equal(8, sources["(other sources)"].Quarantined);
        Assert.Equal(27, (await query.GetSummaryAsync("example.com", to: Day)).Messages);
        var report = Assert.Single(await tables.GetTableClient(prefix + "Reports").QueryAsync<TableEntity>().ToListAsync());
        Assert.Contains("more than 2 distinct source addresses: 2 record(s) (15 message(s))", report.GetString("Warnings"), StringComparison.Ordinal);
    }

    private static async Task<List<string>> Snapshot(TableServiceClient tables, string prefix)
    {
        var rows = new List<string>();
        foreach (var name in new[] { "Reports", "ReportIndex", "Daily", "Sources", "Failures", "Domains" })
        {
            await foreach (var entity in tables.GetTableClient(prefix + name).QueryAsync<TableEntity>())
            {
                rows.Add($"{name}|{entity.PartitionKey}|{entity.RowKey}|{string.Join(",", entity.Where(p => p.Key is not ("Timestamp" or "odata.etag")).OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");
            }
        }

        return rows.Order(StringComparer.Ordinal).ToList();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A resolver during an outage: never answers (each lookup waits until cancelled).</summary>
    private sealed class SilentResolver : IDnsResolver
    {
        public Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default) => Never<TxtRecord>(cancellationToken);

        public Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) => Never<IPAddress>(cancellationToken);

        public Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) => Never<IPAddress>(cancellationToken);

        public Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) => Never<MxRecord>(cancellationToken);

        public Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default) => Never<string>(cancellationToken);

        private static async Task<DnsResult<T>> Never<T>(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return DnsResult<T>.NoData();
        }
    }
}
