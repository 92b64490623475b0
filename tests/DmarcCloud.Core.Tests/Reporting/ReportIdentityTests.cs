using System.Text.RegularExpressions;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Core.Tests.Reporting;

public partial class ReportIdentityTests
{
    [Theory]
    [InlineData("receiver.example", "example.com", 1, "cfg")]
    [InlineData("Receiver.Example", "EXAMPLE.com", 1, "cfg")]
    public void The_id_depends_only_on_reporter_domain_range_configuration_and_part(string reporter, string domain, int part, string configuration)
    {
        var id = ReportIdentity.UniqueId(reporter, domain, 1795219200, 1795305599, configuration, part);
        Assert.Equal(ReportIdentity.UniqueId("receiver.example", "example.com", 1795219200, 1795305599, "cfg", 1), id);
        Assert.NotEqual(id, ReportIdentity.UniqueId("receiver.example", "example.com", 1795219200, 1795305599, "cfg", 2));
        Assert.NotEqual(id, ReportIdentity.UniqueId("receiver.example", "example.org", 1795219200, 1795305599, "cfg", 1));
        Assert.NotEqual(id, ReportIdentity.UniqueId("receiver.example", "example.com", 1795305600, 1795391999, "cfg", 1));
        Assert.NotEqual(id, ReportIdentity.UniqueId("receiver.example", "example.com", 1795219200, 1795305599, "other", 1));
        Assert.Matches(UniqueIdPattern(), id);
    }

    [Fact]
    public void Report_id_is_a_dot_atom_at_the_reporter_and_filename_follows_rfc9990()
    {
        var id = ReportIdentity.UniqueId("receiver.example", "example.com", 1795219200, 1795305599, "cfg", 1);
        Assert.Equal(id + "@receiver.example", ReportIdentity.ReportId(id, "Receiver.Example"));
        Assert.Equal($"receiver.example!example.com!1795219200!1795305599!{id}.xml.gz", ReportIdentity.FileName("receiver.example", "Example.com", 1795219200, 1795305599, id));
    }

    [Fact]
    public async Task Packaged_report_gzip_has_fixed_header_and_is_byte_identical_when_rebuilt()
    {
        var org = new ReportingOrganization("Example Receiver", "dmarc-reports@receiver.example", "receiver.example");
        async Task<byte[]> PackageAsync()
        {
            var content = Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream([Verdicts.Pass(), Verdicts.Fail()]), Verdicts.Day));
            return Assert.Single(new AggregateReportPackager(org, AggregateReportFormat.Rfc9990).Package(content)).Content.ToArray();
        }

        var first = await PackageAsync();
        var second = await PackageAsync();

        Assert.Equal(first, second);
        // RFC 1952: ID1 ID2, CM=8 (deflate), FLG=0 (no name), MTIME=0, XFL=0, OS=255 (unknown).
        Assert.Equal([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF], first[..10]);
        Assert.StartsWith("<?xml", System.Text.Encoding.UTF8.GetString(DeterministicGzip.Decompress(first)).TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-z2-7]{32}$")]
    private static partial Regex UniqueIdPattern();
}
