using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// The dashboard in a real browser (Debian's headless Chromium, driven by Playwright with <c>ExecutablePath</c>; no
/// browser download) against the real app on the local stack: the run-local demo's aggregate reports are uploaded
/// through <c>POST /api/received/upload</c>, then every figure, source and reporter the page shows is compared with the
/// API's JSON, one report is drilled into, and the domain-tools section's checker finding and simulation are compared
/// with the domain-tools API. Screenshots go to artifacts/test-results/screenshots.
/// </summary>
[Collection(ProductStackCollection.Name)]
public class DashboardBrowserTests(ProductStack stack)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Domain = "sender.example";
    private static readonly float Timeout = 90_000;

    [Fact]
    public async Task The_dashboard_shows_the_apis_figures_a_report_drill_down_and_the_domain_tools()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run scripts/setup.sh (apt-get install chromium)");
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

        // The run-local demo's reports (samples/mail evaluated against demo.zone, grouped as the report timer does), as two
        // receivers would send them: one plain RFC 9990 XML, one gzip'd RFC 7489 XML.
        foreach (var content in await DemoReportsAsync(yesterday))
        {
            await UploadAsync(ReportXml(content, "DmarcCloud demo", "demo-1-" + content.Policy.Domain, AggregateReportFormat.Rfc9990), "demo-1.xml");
            await UploadAsync(Gzip(ReportXml(content, "Second Receiver", "demo-2-" + content.Policy.Domain, AggregateReportFormat.Rfc7489)), "demo-2.xml.gz");
        }

        var summary = await ApiAsync($"received/domains/{Domain}/summary");
        var sources = await ApiAsync($"received/domains/{Domain}/sources");
        var reporters = await ApiAsync($"received/domains/{Domain}/reporters");
        var reports = await ApiAsync($"received/domains/{Domain}/reports");
        var check = await ApiAsync($"domain-tools/{Domain}/check");
        var simulation = await ApiAsync($"domain-tools/{Domain}/simulation?p=reject");
        var advice = await ApiAsync($"domain-tools/{Domain}/advice");

        // Hand count (samples/mail/manifest.json): sender.example authored 5 reported messages, 3 failing DMARC (03 spoofed,
        // 04 tampered, 05 via the list), all 3 rejected under p=reject; twice, as two receivers reported them.
        Assert.Equal(10, summary.GetProperty("messages").GetInt64());
        Assert.Equal(2, summary.GetProperty("totalReporters").GetInt64());
        var sim = simulation.GetProperty("simulation");
        Assert.Equal((10L, 6L, 6L), (sim.GetProperty("messages").GetInt64(), sim.GetProperty("failing").GetInt64(), sim.GetProperty("wouldReject").GetInt64()));
        Assert.NotEmpty(check.GetProperty("findings").EnumerateArray());
        using (var bad = await stack.Http.GetAsync(new Uri(stack.Host.BaseAddress, "api/domain-tools/localhost/check")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode); // one label: not a name the checker takes
        }

        var selectors = string.Join('&', Enumerable.Range(1, 21).Select(i => $"selector=s{i}"));
        using (var many = await stack.Http.GetAsync(new Uri(stack.Host.BaseAddress, $"api/domain-tools/{Domain}/check?{selectors}")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode); // more selectors than the limit: refused before any DNS query
        }

        using (var badPolicy = await stack.Http.GetAsync(new Uri(stack.Host.BaseAddress, $"api/domain-tools/{Domain}/simulation?p=block")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badPolicy.StatusCode); // not an RFC 9989 p= value
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu"],
            Timeout = Timeout,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(Timeout);
        var consoleErrors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                consoleErrors.Add(m.Text);
            }
        };

        var response = await page.GotoAsync(new Uri(stack.Host.BaseAddress, $"api/dashboard?domain={Domain}").ToString());
        Assert.Equal(200, response!.Status);
        await page.WaitForSelectorAsync($"body[data-loaded='{Domain}']");
        await page.WaitForSelectorAsync($"body[data-tools='{Domain}']");
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard.png"), FullPage = true });

        // Summary figures.
        Assert.Equal(string.Empty, await page.InnerTextAsync("#error"));
        foreach (var key in new[] { "messages", "compliant", "notCompliant", "quarantined", "rejected", "spfPass", "spfFail", "dkimPass", "dkimFail", "totalReporters", "totalReports", "failureReports" })
        {
            Assert.Equal(summary.GetProperty(key).GetInt64().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync($"[data-figure='{key}']"));
        }

        var bars = await page.Locator("#chart rect[data-day]").CountAsync();
        Assert.Equal(summary.GetProperty("daily").GetArrayLength(), bars);
        Assert.Equal("10", await page.GetAttributeAsync($"#chart rect[data-day='{yesterday:yyyy-MM-dd}']", "data-messages"));

        // Sources and reporters: every row, in the API's order.
        var expectedSources = sources.EnumerateArray().Take(25)
            .Select(s => $"{s.GetProperty("ip").GetString()}|{s.GetProperty("messages").GetInt64()}|{s.GetProperty("compliant").GetInt64()}").ToList();
        Assert.Equal(5, expectedSources.Count);
        Assert.Equal(expectedSources, await RowsAsync(page, "#sources", 0, 3, 4));
        var expectedReporters = reporters.EnumerateArray()
            .Select(r => $"{r.GetProperty("orgName").GetString()}|{r.GetProperty("reports").GetInt64()}|{r.GetProperty("messages").GetInt64()}").ToList();
        Assert.Equal(["DmarcCloud demo|1|5", "Second Receiver|1|5"], expectedReporters.Order(StringComparer.Ordinal));
        Assert.Equal(expectedReporters, await RowsAsync(page, "#reporters", 0, 1, 2));

        // Drill-down into one report: its records equal the single-report API's.
        var first = reports.EnumerateArray().First();
        var key0 = first.GetProperty("key").GetString()!;
        var detail = await ApiAsync($"received/domains/{Domain}/reports/{key0}");
        await page.ClickAsync($"#reports a[data-key='{key0}']");
        await page.WaitForSelectorAsync("#records tbody tr");
        var expectedRecords = detail.GetProperty("report").GetProperty("records").EnumerateArray()
            .Select(r => $"{r.GetProperty("row").GetProperty("sourceIp").GetString()}|{r.GetProperty("row").GetProperty("count").GetInt64()}|{r.GetProperty("row").GetProperty("policyEvaluated").GetProperty("disposition").GetString()}").ToList();
        Assert.Equal(first.GetProperty("records").GetInt64(), expectedRecords.Count);
        Assert.Equal(expectedRecords, await RowsAsync(page, "#records", 0, 1, 2));
        Assert.Contains(detail.GetProperty("summary").GetProperty("reportId").GetString()!, await page.InnerTextAsync("#detail h2"), StringComparison.Ordinal);
        await page.Locator("#detail").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-report.png") });

        // Domain tools: the checker's first finding, and the p=reject simulation's figures and sources.
        var finding = check.GetProperty("findings").EnumerateArray().First();
        var findingRow = page.Locator($"#findings tr[data-code='{finding.GetProperty("code").GetString()}']").First;
        Assert.Equal(check.GetProperty("findings").GetArrayLength(), await page.Locator("#findings tbody tr").CountAsync());
        Assert.Equal(finding.GetProperty("severity").GetString(), await findingRow.GetAttributeAsync("data-severity"));
        Assert.Contains(finding.GetProperty("message").GetString()!, await findingRow.InnerTextAsync(), StringComparison.Ordinal);
        foreach (var key in new[] { "messages", "failing", "wouldQuarantine", "wouldReject", "legitimateFailing", "daysWithData" })
        {
            Assert.Equal(sim.GetProperty(key).GetInt64().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync($"[data-sim='{key}']"));
        }

        Assert.Equal("60.0%", await page.InnerTextAsync("[data-sim='affectedShare']"));
        var expectedSimSources = sim.GetProperty("sources").EnumerateArray()
            .Select(s => $"{s.GetProperty("sourceIp").GetString()}|{s.GetProperty("class").GetString()}|{s.GetProperty("wouldReject").GetInt64()}").ToList();
        Assert.Equal(["198.51.100.66|suspicious|2", "198.51.100.67|suspicious|2", "203.0.113.10|legitimate|2", "192.0.2.25|compliant|0", "203.0.113.20|compliant|0"], expectedSimSources);
        Assert.Equal(expectedSimSources, await RowsAsync(page, "#sim-sources", 0, 2, 6));
        Assert.Equal(advice.GetProperty("advice").GetProperty("decision").GetString(), await page.GetAttributeAsync("#advice", "data-decision"));
        await page.Locator("#tools").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots, "domain-tools.png") });

        // The page's own quarantine switch asks the API again and shows its answer.
        var quarantine = (await ApiAsync($"domain-tools/{Domain}/simulation?p=quarantine")).GetProperty("simulation");
        await page.SelectOptionAsync("#tools-policy", "quarantine");
        await page.WaitForSelectorAsync($"body[data-tools='{Domain}'] [data-sim='policy']:text-is('p=quarantine')");
        Assert.Equal(quarantine.GetProperty("wouldQuarantine").GetInt64().ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync("[data-sim='wouldQuarantine']"));
        Assert.Equal("6", await page.InnerTextAsync("[data-sim='wouldQuarantine']"));
        Assert.Empty(consoleErrors);
    }

    private static string Screenshots => RepositoryPaths.Combine("artifacts", "test-results", "screenshots");

    /// <summary>The text of the given cells of every body row of a table, joined with '|'.</summary>
    private static async Task<List<string>> RowsAsync(IPage page, string table, params int[] cells)
    {
        var rows = await page.EvalOnSelectorAllAsync<string[][]>($"{table} tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))");
        return rows.Select(r => string.Join('|', cells.Select(i => r[i]))).ToList();
    }

    private async Task<JsonElement> ApiAsync(string path)
    {
        using var response = await stack.Http.GetAsync(new Uri(stack.Host.BaseAddress, "api/" + path));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}\n{stack.LogTail()}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task UploadAsync(byte[] content, string name)
    {
        using var body = new ByteArrayContent(content);
        using var response = await stack.Http.PostAsync(new Uri(stack.Host.BaseAddress, $"api/received/upload?name={name}"), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"upload {name}: {(int)response.StatusCode} {text}\n{stack.LogTail()}");
        Assert.Contains("\"stored\"", text, StringComparison.Ordinal);
    }

    private static byte[] ReportXml(AggregateReportContent content, string org, string reportId, AggregateReportFormat format)
    {
        using var xml = new MemoryStream();
        var (begin, end) = AggregateReportMetadata.RangeOf(content.Day);
        var organization = new ReportingOrganization(org, "dmarc@" + org.Replace(' ', '-').ToLowerInvariant() + ".test", org.Replace(' ', '-').ToLowerInvariant() + ".test", null);
        AggregateReportXmlWriter.Write(xml, new AggregateReportMetadata(organization, reportId, begin, end), content.Policy, content.Rows, format);
        return xml.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>The aggregate reports run-local's report timer sends for samples/mail, filed under <paramref name="day"/>.</summary>
    private static async Task<List<AggregateReportContent>> DemoReportsAsync(DateOnly day)
    {
        var zone = (await ZoneFileParser.LoadAsync(RepositoryPaths.Combine("samples", "dns", "demo.zone"))).Zone;
        var verdicts = new List<ReportableVerdict>();
        foreach (var sample in SampleMessage.ReadManifest())
        {
            var verdict = await new MessageEvaluator(zone, null, new FakeTimeProvider(sample.Envelope.ReceivedAt))
                .EvaluateAsync(sample.Envelope, sample.Content.ToArray());
            if (ReportableVerdict.FromVerdict(sample.File, verdict) is { } reportable)
            {
                verdicts.Add(reportable);
            }
        }

        var contents = new List<AggregateReportContent>();
        foreach (var domain in verdicts.GroupBy(v => v.Policy.Domain))
        {
            contents.AddRange(await new AggregateReportBuilder().BuildAsync(domain.ToAsyncEnumerable(), day));
        }

        return contents;
    }
}
