using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Cli.Tests.Commands;

public sealed class ReportValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("report-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "reports", name);

    [Theory]
    [InlineData("rfc9990_dmarc-xml-0.2_draft-32_example.xml", 0, "matches the RFC 9990 schema")]
    [InlineData("rfc9990_dmarc-xmlalt-0.2_draft-32_example.xml", 1, "matches neither schema")]
    public async Task Reports_are_checked_against_both_schemas(string file, int exit, string verdict)
    {
        var (code, stdout, _) = await Run("report", "validate", TestData(file));
        Assert.Equal(exit, code);
        Assert.Contains(verdict, stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AggregateReportFormat.Rfc9990, "matches the RFC 9990 schema")]
    [InlineData(AggregateReportFormat.Rfc7489, "matches the RFC 7489 schema")]
    public async Task Gzip_reports_we_write_validate(AggregateReportFormat format, string verdict)
    {
        var policy = new PublishedPolicy("example.com", "v=DMARC1; p=none", DmarcPolicy.None, null, null, AlignmentMode.Relaxed, AlignmentMode.Relaxed,
            false, PsdFlag.Unspecified, null, null, ["mailto:d@example.com"], [], DiscoveryMethod.TreeWalk);
        var verdict1 = new ReportableVerdict("m1", new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero), "192.0.2.1", "example.com", "example.com", null,
            DmarcResult.Pass, Disposition.None, true, true, [], [new DkimSignatureResult(DkimResult.Pass, "example.com", "s", "rsa-sha256")],
            new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, "example.com"), policy);
        var content = Assert.Single(await new AggregateReportBuilder().BuildAsync(One(verdict1), new DateOnly(2026, 11, 21)));
        var file = Assert.Single(new AggregateReportPackager(new ReportingOrganization("R", "r@r.example", "r.example"), format).Package(content));
        var path = Path.Combine(_dir, file.FileName);
        await File.WriteAllBytesAsync(path, file.Content.ToArray());

        var (code, stdout, _) = await Run("report", "validate", path);

        Assert.Equal(0, code);
        Assert.Contains(verdict, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_exit_3() =>
        Assert.Equal(3, (await Run("report", "validate", Path.Combine(_dir, "nope.xml"))).Exit);

    private static async IAsyncEnumerable<ReportableVerdict> One(ReportableVerdict v)
    {
        await Task.Yield();
        yield return v;
    }
}
