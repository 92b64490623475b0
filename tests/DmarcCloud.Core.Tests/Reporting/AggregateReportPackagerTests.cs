using System.Text;
using System.Xml.Linq;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Core.Tests.Reporting;

public class AggregateReportPackagerTests
{
    private static readonly ReportingOrganization Org = new("Example Receiver", "dmarc-reports@receiver.example", "receiver.example");

    private static List<ReportableVerdict> ManySources(int sources) =>
        Enumerable.Range(0, sources).SelectMany(i => new[]
        {
            Verdicts.Pass(ip: $"2a00:1450:{i / 256:x}:{i % 256:x}::1"),
            Verdicts.Pass(ip: $"2a00:1450:{i / 256:x}:{i % 256:x}::1"),
            Verdicts.Fail(ip: $"2a01:4f8:{i / 256:x}:{i % 256:x}::2"),
        }).ToList();

    [Theory]
    [InlineData(AggregateReportFormat.Rfc9990)]
    [InlineData(AggregateReportFormat.Rfc7489)]
    public async Task An_oversize_report_is_split_into_parts_each_valid_none_dropped(AggregateReportFormat format)
    {
        var verdicts = ManySources(400);
        var content = Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream(verdicts), Verdicts.Day));
        const int cap = 4096;

        var files = new AggregateReportPackager(Org, format, cap).Package(content);

        Assert.True(files.Count > 1, $"expected several parts, got {files.Count}");
        Assert.All(files, f => Assert.True(f.Content.Length <= cap, $"{f.FileName}: {f.Content.Length} bytes"));
        Assert.All(files, f => Assert.Equal(files.Count, f.PartCount));
        Assert.Equal(files.Count, files.Select(f => f.ReportId).Distinct().Count());
        Assert.Equal(files.Count, files.Select(f => f.FileName).Distinct().Count());
        long counted = 0;
        var rows = 0;
        foreach (var file in files)
        {
            var validation = Schemas.Validator.Validate(file.Content.Span);
            Assert.True(validation.IsValid(format), string.Join("\n", validation.Rfc9990Errors.Concat(validation.Rfc7489Errors)));
            var doc = XDocument.Parse(Encoding.UTF8.GetString(DeterministicGzip.Decompress(file.Content.Span)));
            counted += doc.Descendants().Where(e => e.Name.LocalName == "count").Sum(e => long.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture));
            rows += doc.Descendants().Count(e => e.Name.LocalName == "record");
            Assert.Equal(file.ReportId, doc.Descendants().Single(e => e.Name.LocalName == "report_id").Value);
        }

        Assert.Equal(verdicts.Count, counted);
        Assert.Equal(content.Rows.Count, rows);
    }

    [Fact]
    public async Task A_report_under_the_cap_is_one_part()
    {
        var content = Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream(ManySources(400)), Verdicts.Day));
        var file = Assert.Single(new AggregateReportPackager(Org, AggregateReportFormat.Rfc9990).Package(content));
        Assert.Equal(1, file.Part);
        Assert.Equal(1200, file.MessageCount);
    }

    [Fact]
    public async Task Building_the_same_day_again_gives_byte_identical_files_names_and_ids()
    {
        var verdicts = ManySources(50);
        var packager = new AggregateReportPackager(Org, AggregateReportFormat.Rfc9990, 2048);

        var first = packager.Package(Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream(verdicts), Verdicts.Day)));
        var second = packager.Package(Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream(Enumerable.Reverse(verdicts)), Verdicts.Day)));

        Assert.Equal(first.Select(f => f.FileName), second.Select(f => f.FileName));
        Assert.Equal(first.Select(f => f.ReportId), second.Select(f => f.ReportId));
        Assert.All(first.Zip(second), p => Assert.True(p.First.Content.Span.SequenceEqual(p.Second.Content.Span)));
    }
}
