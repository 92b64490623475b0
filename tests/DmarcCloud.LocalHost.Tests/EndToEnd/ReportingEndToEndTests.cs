using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Azure.Tests.Reporting;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.Testing;
using MimeKit;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// Aggregate reporting through the local runner and the REAL handler (<c>dotnet DmarcCloud.Functions.dll</c>) on
/// this class's own Azurite: samples/mail received yesterday (UTC) → EvaluateMessage → Verdicts table → the
/// admin "run now" of ScheduleAggregateReports → BuildAggregateReport → SendReport → SMTP sink; each report is
/// decompressed, XSD-validated and its counts compared with the verdicts stored for its domain.
/// </summary>
public sealed class ReportingEndToEndTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(120);

    private readonly SmtpSink _sink = new();
    private readonly List<string> _log = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task Samples_received_yesterday_arrive_as_valid_aggregate_reports_after_the_timer_runs_now()
    {
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            AppRoot = RepositoryPaths.Root,
            Executable = "dotnet",
            ExecutableArguments = [HandlerDll],
            StorageConnectionString = azurite.ConnectionString,
            EmulateBlobEvents = true,
            BlobPollInterval = TimeSpan.FromMilliseconds(200),
            SettingOverrides = new Dictionary<string, string>
            {
                ["Dns__ZoneFile"] = RepositoryPaths.Combine("samples", "dns", "demo.zone"),
                ["AggregateReportSchedule"] = "0 0 0 1 1 *", // never during the test: it is run via the admin endpoint
                ["Reporting__OrgName"] = "DmarcCloud end-to-end",
                ["Reporting__Email"] = "dmarc-reports@receiver.test",
                ["Reporting__FromAddress"] = "dmarc-reports@receiver.test",
                ["Reporting__SmtpHost"] = "127.0.0.1",
                ["Reporting__SmtpPort"] = _sink.Port.ToString(CultureInfo.InvariantCulture),
                ["Reporting__SmtpSecurity"] = "None",
                ["Reporting__MinimumSendInterval"] = "00:00:00",
            },
            Log = Log,
        });

        var samples = await SubmitSamplesAsync(yesterday);
        var verdicts = new TableClient(azurite.ConnectionString, "Verdicts");
        await WaitUntilAsync(async () => (await RowsAsync(verdicts)).Count >= samples, $"{samples} rows in Verdicts");

        // The verdicts each report must count: the stored rows of yesterday, by policy domain (partition yyyyMMdd|domain|shard).
        var dayKey = yesterday.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var expected = (await RowsAsync(verdicts))
            .Select(r => r.PartitionKey.Split('|'))
            .Where(p => p[0] == dayKey && p[1] != "(none)")
            .GroupBy(p => p[1])
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        // demo.zone publishes DMARC records with rua for sender.example and news.example; nopolicy.example has none
        // (its verdict is stored under "(none)"), the malformed samples have no author domain.
        Assert.Equal(["news.example", "sender.example"], expected.Keys.Order(StringComparer.Ordinal));

        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = WaitLimit };
        using var runNow = await http.PostAsync(new Uri("admin/functions/ScheduleAggregateReports", UriKind.Relative), new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));
        var runNowBody = await runNow.Content.ReadAsStringAsync();
        Assert.True(runNow.StatusCode == HttpStatusCode.Accepted, $"{(int)runNow.StatusCode} {runNowBody}\n{LogText}");
        Assert.True(JsonDocument.Parse(runNowBody).RootElement.GetProperty("succeeded").GetBoolean(), runNowBody + "\n" + LogText);

        await WaitUntilAsync(() => Task.FromResult(_sink.Messages.Count >= 2), "2 report mails at the SMTP sink");
        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing more may arrive
        Assert.Equal(2, _sink.Messages.Count);

        var byRecipient = _sink.Messages.ToDictionary(m => m.To.Mailboxes.Single().Address, StringComparer.Ordinal);
        Assert.Equal(["dmarc-rua@sender.example", "dmarc@news.example"], byRecipient.Keys.Order(StringComparer.Ordinal));
        AssertReport(byRecipient["dmarc-rua@sender.example"], "sender.example", expected["sender.example"], yesterday);
        AssertReport(byRecipient["dmarc@news.example"], "news.example", expected["news.example"], yesterday);

        // A second run of the timer the same day schedules nothing again (ledger watermark and job records).
        using var again = await http.PostAsync(new Uri("admin/functions/ScheduleAggregateReports", UriKind.Relative), new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(2, _sink.Messages.Count);
    }

    /// <summary>The built handler, in the configuration this test assembly was built in.</summary>
    private static string HandlerDll
    {
        get
        {
            var configuration = typeof(ReportingEndToEndTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = RepositoryPaths.Combine("functions", "DmarcCloud.Functions", "bin", configuration, "net10.0", "DmarcCloud.Functions.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The handler is not built at {path} (the test project's ProjectReference builds it).", path);
        }
    }

    private string LogText
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log.TakeLast(60));
            }
        }
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static void AssertReport(MimeMessage message, string policyDomain, long expectedCount, DateOnly day)
    {
        var part = message.Attachments.OfType<MimePart>().Single();
        using var compressed = new MemoryStream();
        part.Content!.DecodeTo(compressed);
        var xml = DeterministicGzip.Decompress(compressed.ToArray());

        var validation = AggregateReportSchemaValidator.CreateDefault().Validate(xml);
        Assert.True(validation.IsValidRfc9990, string.Join("\n", validation.Rfc9990Errors));

        var document = XDocument.Parse(Encoding.UTF8.GetString(xml));
        string Single(string name) => document.Descendants().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal(policyDomain, document.Descendants().Single(e => e.Name.LocalName == "policy_published").Elements().Single(e => e.Name.LocalName == "domain").Value);
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(begin.ToString(CultureInfo.InvariantCulture), Single("begin"));
        Assert.Equal((begin + 86399).ToString(CultureInfo.InvariantCulture), Single("end"));
        var counts = document.Descendants().Where(e => e.Name.LocalName == "count").Sum(e => long.Parse(e.Value, CultureInfo.InvariantCulture));
        Assert.Equal(expectedCount, counts);

        var reportId = Single("report_id");
        Assert.Contains($"Report-ID: {reportId}", message.Subject, StringComparison.Ordinal);
        Assert.Equal("application/gzip", part.ContentType.MimeType);
        Assert.EndsWith($"!{policyDomain}!{begin}!{begin + 86399}!{reportId.Split('@')[0]}.xml.gz", part.FileName, StringComparison.Ordinal);
    }

    /// <summary>Uploads every samples/mail manifest message to <c>inbound</c>, moved to <paramref name="day"/> (as <c>dmarccloud submit --manifest --received-date</c>).</summary>
    private async Task<int> SubmitSamplesAsync(DateOnly day)
    {
        var folder = RepositoryPaths.Combine("samples", "mail");
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")));
        var container = new BlobContainerClient(azurite.ConnectionString, InboundMetadata.Container);
        await container.CreateIfNotExistsAsync();
        var count = 0;
        foreach (var entry in manifest.RootElement.EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!;
            var time = DateTimeOffset.Parse(entry.GetProperty("receivedAt").GetString()!, CultureInfo.InvariantCulture).UtcDateTime.TimeOfDay;
            var envelope = new SmtpEnvelope(
                IPAddress.Parse(entry.GetProperty("clientIp").GetString()!),
                entry.TryGetProperty("helo", out var helo) ? helo.GetString() : null,
                entry.TryGetProperty("mailFrom", out var mailFrom) ? mailFrom.GetString() : null,
                entry.TryGetProperty("rcptTo", out var rcpt) ? rcpt.EnumerateArray().Select(r => r.GetString()!).ToList() : [],
                new DateTimeOffset(day.ToDateTime(TimeOnly.FromTimeSpan(time)), TimeSpan.Zero));
            var blob = container.GetBlobClient($"{day:yyyy/MM/dd}/{Guid.NewGuid():N}-{file}");
            await using var content = File.OpenRead(Path.Combine(folder, file));
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                Metadata = InboundMetadata.ToMetadata(envelope),
                HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
            });
            count++;
        }

        Assert.True(count >= 10, $"the manifest lists {count} messages");
        return count;
    }

    private static async Task<List<TableEntity>> RowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The handler has not created the table yet: no rows.
        }

        return rows;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.Fail($"timed out waiting for {what}\n{LogText}");
    }
}
