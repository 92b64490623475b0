using System.IO.Compression;
using System.Text;
using DmarcCloud.Core.ReportIngest;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Core.Tests.ReportIngest;

/// <summary>Hostile and broken inputs get a reason, within the limits: never an exception, a hang or unbounded memory.</summary>
public class HostileReportTests
{
    private const string Record =
        "<record><row><source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>" +
        "<identifiers><header_from>example.com</header_from></identifiers><auth_results><dkim><domain>example.com</domain><result>pass</result></dkim><spf><domain>example.com</domain><result>fail</result></spf></auth_results></record>";

    private static string Report(string records = Record, string metadata = "<org_name>r.example</org_name><email>a@r.example</email><report_id>1</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range>") =>
        $"<?xml version=\"1.0\"?><feedback><report_metadata>{metadata}</report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>{records}</feedback>";

    [Fact]
    public void A_well_formed_report_reads()
    {
        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(Report()));

        var report = Assert.Single(result.Reports).Aggregate!;
        Assert.Equal(3, report.Records.Single().Row.Count);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void External_entities_are_refused()
    {
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + Report().Replace("<org_name>r.example", "<org_name>&xxe;", StringComparison.Ordinal)[21..];

        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(xxe));

        Assert.Contains("DOCTYPE", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Billion_laughs_is_refused()
    {
        var entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            entities.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">");
        }

        var bomb = $"<?xml version=\"1.0\"?><!DOCTYPE feedback [{entities}]><feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>";

        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(bomb));

        Assert.Contains("DOCTYPE", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_bomb_is_refused_by_its_expansion_ratio()
    {
        var bomb = Gzip(Bomb()); // 256 MiB in about 250 KB

        var result = ReceivedReportReader.Read(bomb);

        Assert.Contains("decompression bomb", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_larger_than_the_decompressed_limit_is_refused()
    {
        var xml = Encoding.UTF8.GetBytes(Report(string.Concat(Enumerable.Repeat(Record, 2000))));

        var result = ReceivedReportReader.Read(Gzip(xml), ReportIngestOptions.Default with { MaxDecompressedBytes = 100_000 });

        Assert.Contains("decompresses to more than 100000 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_bomb_is_refused_by_its_expansion_ratio()
    {
        var bomb = Zip([Bomb()]);

        var result = ReceivedReportReader.Read(bomb);

        Assert.Contains("decompression bomb", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_with_100000_entries_is_refused_before_its_directory_is_read()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 100_000; i++)
            {
                archive.CreateEntry("r" + i, CompressionLevel.NoCompression);
            }
        }

        var result = ReceivedReportReader.Read(buffer.ToArray());

        Assert.Contains("65535 or more entries", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Zip_entry_names_are_never_used()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("../../../etc/cron.d/evil").Open();
            entry.Write(Encoding.UTF8.GetBytes(Report()));
        }

        var result = ReceivedReportReader.Read(buffer.ToArray());

        var item = Assert.Single(result.Reports);
        Assert.Equal("file (zip entry 1)", item.Origin);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("<x>", 1000)) + string.Concat(Enumerable.Repeat("</x>", 1000));
        var xml = Report(Record.Replace("<count>3</count>", "<count>3</count>" + deep, StringComparison.Ordinal));

        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Contains("nested deeper", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_records_are_refused()
    {
        var xml = Report(string.Concat(Enumerable.Repeat(Record, 11)));

        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(xml), ReportIngestOptions.Default with { MaxRecords = 10 });

        Assert.Contains("more than 10 records", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_stops_at_the_time_limit()
    {
        var clock = new FakeTimeProvider();
        var options = ReportIngestOptions.Default with { TimeProvider = clock, TimeLimit = TimeSpan.FromSeconds(5) };
        var records = 0;
        var xml = Encoding.UTF8.GetBytes(Report(string.Concat(Enumerable.Repeat(Record, 5000))));

        var result = AggregateReportParser.Parse(new MemoryStream(xml), _ =>
        {
            if (++records == 100)
            {
                clock.Advance(TimeSpan.FromSeconds(6));
            }
        }, options);

        Assert.False(result.Success);
        Assert.Contains("longer than the 5 s limit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_text_element_is_refused()
    {
        var xml = Report(metadata: $"<org_name>{new string('a', 100_000)}</org_name><report_id>1</report_id><date_range><begin>1</begin><end>2</end></date_range>");

        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Contains("longer than", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<count>3</count>", "", "no <count>")]
    [InlineData("<count>3</count>", "<count>-3</count>", "is not a non-negative integer")]
    [InlineData("<count>3</count>", "<count>many</count>", "is not a non-negative integer")]
    [InlineData("<source_ip>192.0.2.1</source_ip>", "", "no <source_ip>")]
    [InlineData("<report_id>1</report_id>", "", "no <report_id>")]
    [InlineData("<begin>1700000000</begin>", "", "no <date_range>")]
    [InlineData("<begin>1700000000</begin>", "<begin>yesterday</begin>", "is not a Unix time")]
    [InlineData("<domain>example.com</domain><p>", "<p>", "no <domain> in <policy_published>")]
    [InlineData("<feedback>", "<feedbackx>", "not <feedback>")]
    [InlineData("</feedback>", "", "malformed XML")]
    public void An_ambiguous_report_is_rejected_with_its_reason(string find, string replace, string reason)
    {
        var xml = Report().Replace(find, replace, StringComparison.Ordinal).Replace("</feedbackx>", "</feedback>", StringComparison.Ordinal);
        if (find == "<feedback>")
        {
            xml = xml.Replace("</feedback>", "</feedbackx>", StringComparison.Ordinal);
        }

        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uFEFF\uFEFF", "byte-order mark")]
    [InlineData("\n  ", "whitespace before the XML declaration")]
    public void Junk_before_the_declaration_is_tolerated_with_a_warning(string prefix, string warning)
    {
        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(prefix + Report()));

        var report = Assert.Single(result.Reports).Aggregate!;
        Assert.Contains(report.Warnings, w => w.Contains(warning, StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_optional_elements_give_warnings_not_rejections()
    {
        var xml = Report("<record><row><source_ip>2001:DB8::1</source_ip><count>1</count></row></record>", "<org_name>r</org_name><report_id>9</report_id><date_range><begin>1</begin><end>2</end></date_range>");

        var report = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(xml)).Reports.Single().Aggregate!;

        Assert.Equal("2001:db8::1", report.Records[0].Row.SourceIp);
        Assert.Null(report.Records[0].Row.PolicyEvaluated.Disposition);
        Assert.Contains(report.Warnings, w => w.Contains("no <policy_evaluated>", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("no <header_from>", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("no <email>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("just some text", "not a DMARC report")]
    [InlineData("\u0000\u0001\u0002binary", "not a DMARC report")]
    [InlineData("Subject: hello\r\n\r\nno report here\r\n", "no DMARC report found")]
    public void Input_that_is_no_report_is_rejected(string text, string reason)
    {
        var result = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(text));

        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_gzip_is_rejected()
    {
        var gzip = Gzip(Encoding.UTF8.GetBytes(Report()));
        gzip[gzip.Length / 2] ^= 0xFF;
        gzip[(gzip.Length / 2) + 1] ^= 0xFF;

        var result = ReceivedReportReader.Read(gzip);

        Assert.NotNull(result.Error);
    }

    [Fact]
    public void A_streaming_sink_sees_every_record_and_none_is_kept()
    {
        var xml = Encoding.UTF8.GetBytes(Report(string.Concat(Enumerable.Repeat(Record, 1000))));
        long messages = 0;

        var result = AggregateReportParser.Parse(new MemoryStream(xml), r => messages += r.Row.Count);

        Assert.True(result.Success);
        Assert.Empty(result.Value!.Records);
        Assert.Equal(1000, result.RecordCount);
        Assert.Equal(3000, messages);
    }

    /// <summary>A report start followed by 256 MiB of white space: valid XML so far, so only the limits stop it.</summary>
    private static byte[] Bomb()
    {
        var data = new byte[256 * 1024 * 1024];
        data.AsSpan().Fill((byte)' ');
        "<?xml version=\"1.0\"?><feedback>"u8.CopyTo(data);
        return data;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Zip(IEnumerable<byte[]> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var i = 0;
            foreach (var data in entries)
            {
                using var entry = archive.CreateEntry($"e{i++}.xml", CompressionLevel.Optimal).Open();
                entry.Write(data);
            }
        }

        return output.ToArray();
    }
}
