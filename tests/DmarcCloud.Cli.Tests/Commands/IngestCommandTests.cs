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
    public async Task Without_json_each_report_is_summarised()
    {
        var (exit, stdout, _) = await Run("ingest", TestData("nice-input.xml.gz"));

        Assert.Equal(0, exit);
        Assert.Contains("20 record(s), 3047 message(s), 3047 DMARC pass", stdout, StringComparison.Ordinal);
    }
}
