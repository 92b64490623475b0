using System.Text.Json;

namespace DmarcCloud.Cli.Tests.Commands;

public sealed class IngestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ingest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "ingest", name);

    [Fact]
    public async Task Json_prints_one_normalised_object_per_report()
    {
        var (exit, stdout, _) = await Run("ingest", TestData("google-zip.eml"), TestData("nice-input.xml.gz"), TestData("opendmarc-failure.eml"), "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        var google = items[0];
        Assert.Equal("aggregate", google.GetProperty("kind").GetString());
        Assert.Equal("google.com", google.GetProperty("orgName").GetString());
        Assert.Equal("5264580628977113351", google.GetProperty("reportId").GetString());
        Assert.True(google.GetProperty("dateRange").GetProperty("begin").GetInt64() > 0);
        Assert.Equal("stalw.art", google.GetProperty("policyPublished").GetProperty("domain").GetString());
        var row = google.GetProperty("records")[0].GetProperty("row");
        Assert.Equal(1, row.GetProperty("count").GetInt64());
        Assert.Equal("pass", row.GetProperty("policyEvaluated").GetProperty("dkim").GetString());
        Assert.Equal(20, items[1].GetProperty("records").GetArrayLength());
        Assert.Equal("failure", items[2].GetProperty("kind").GetString());
        Assert.Equal("interpublication.org", items[2].GetProperty("reportedDomain").GetString());
        Assert.Equal("148.163.85.135", items[2].GetProperty("sourceIp").GetString());
        Assert.Equal("dmarc", items[2].GetProperty("authFailure").GetString());
    }

    [Fact]
    public async Task A_folder_is_read_recursively()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.Copy(TestData("google-zip.eml"), Path.Combine(_dir, "sub", "a.eml"));
        File.Copy(TestData("nice-input.xml.gz"), Path.Combine(_dir, "b.gz"));

        var (exit, stdout, _) = await Run("ingest", _dir, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("<feedback><report_metadata>", "malformed XML")]
    [InlineData("<!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><feedback>&x;</feedback>", "DOCTYPE")]
    [InlineData("hello", "not a DMARC report")]
    public async Task A_file_that_cannot_be_read_exits_1_with_an_error_object_and_no_stack_trace(string content, string reason)
    {
        var file = Path.Combine(_dir, "bad.xml");
        await File.WriteAllTextAsync(file, content);

        var (exit, stdout, stderr) = await Run("ingest", file, "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Contains(reason, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_exits_1_with_an_error_object()
    {
        var (exit, stdout, _) = await Run("ingest", Path.Combine(_dir, "nope.xml"), "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("no such file or folder", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Among_several_inputs_an_unreadable_one_is_listed_and_the_exit_code_is_1()
    {
        var bad = Path.Combine(_dir, "bad.xml");
        await File.WriteAllTextAsync(bad, "nothing");

        var (exit, stdout, _) = await Run("ingest", TestData("nice-input.xml.gz"), bad, "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal("aggregate", items[0].GetProperty("kind").GetString());
        Assert.Equal(bad, items[1].GetProperty("file").GetString());
    }

    [Fact]
    public async Task Json_of_a_report_with_more_records_than_are_buffered_is_streamed_and_the_same_shape()
    {
        // More records than JsonReportWriter buffers per file: the file is read again and the records streamed.
        var records = DmarcCloud.Cli.Commands.JsonReportWriter.BufferedRecordsPerFile + 500;
        var xml = new System.Text.StringBuilder("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>big.example</org_name><email>d@big.example</email><report_id>big-1</report_id><date_range><begin>1763683200</begin><end>1763769599</end></date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>");
        for (var i = 0; i < records; i++)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<record><row><source_ip>10.0.{i >> 8 & 255}.{i & 255}</source_ip><count>{1 + (i % 3)}</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers><auth_results><spf><domain>example.com</domain><result>fail</result></spf></auth_results></record>");
        }

        xml.Append("</feedback>");
        var big = Path.Combine(_dir, "big.xml");
        await File.WriteAllTextAsync(big, xml.ToString());

        var (exit, stdout, _) = await Run("ingest", TestData("nice-input.xml.gz"), big, TestData("opendmarc-failure.eml"), "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(20, items[0].GetProperty("records").GetArrayLength());
        var report = items[1];
        Assert.Equal(["kind", "format", "orgName", "email", "reportId", "dateRange", "errors", "policyPublished", "records", "warnings"], report.EnumerateObject().Select(p => p.Name));
        Assert.Equal("big-1", report.GetProperty("reportId").GetString());
        Assert.Equal(records, report.GetProperty("records").GetArrayLength());
        Assert.Equal("10.0.0.0", report.GetProperty("records")[0].GetProperty("row").GetProperty("sourceIp").GetString());
        Assert.Equal(1 + ((records - 1) % 3), report.GetProperty("records")[records - 1].GetProperty("row").GetProperty("count").GetInt64());
        Assert.Equal("failure", items[2].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Without_json_each_report_is_summarised()
    {
        var (exit, stdout, _) = await Run("ingest", TestData("nice-input.xml.gz"));

        Assert.Equal(0, exit);
        Assert.Contains("20 record(s), 3047 message(s), 3047 DMARC pass", stdout, StringComparison.Ordinal);
    }
}

public sealed class IngestStoreCommandTests(DmarcCloud.Testing.AzuriteFixture azurite) : IClassFixture<DmarcCloud.Testing.AzuriteFixture>
{
    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "ingest", name);

    [Fact]
    public async Task Store_keeps_the_reports_and_a_second_run_finds_duplicates()
    {
        using var zone = new TempFile("$ORIGIN example.\n");
        async Task<(int, string)> Run()
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await CliApp.RunAsync(["ingest", TestData("nice-input.xml.gz"), TestData("opendmarc-failure.eml"), "--store", "--connection-string", azurite.ConnectionString, "--dns-zone", zone.Path], output, error);
            return (exit, output + error.ToString());
        }

        var (exit1, out1) = await Run();
        var (exit2, out2) = await Run();

        Assert.Equal(0, exit1);
        Assert.Contains("nice-input.xml.gz: stored 1, duplicate 0, rejected 0", out1, StringComparison.Ordinal);
        Assert.Equal(0, exit2);
        Assert.Contains("nice-input.xml.gz: stored 0, duplicate 1, rejected 0", out2, StringComparison.Ordinal);
        Assert.Contains("opendmarc-failure.eml: stored 0, duplicate 1, rejected 0", out2, StringComparison.Ordinal);
        var store = new DmarcCloud.Azure.ReceivedReports.ReceivedReportStore(new global::Azure.Data.Tables.TableServiceClient(azurite.ConnectionString), new global::Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString));
        var query = new DmarcCloud.Azure.ReceivedReports.ReceivedReportQueryService(store);
        var reports = await query.ListReportsAsync("example.com", days: 30, to: new DateOnly(2024, 6, 20));
        Assert.Equal(3047, Assert.Single(reports).Messages);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
