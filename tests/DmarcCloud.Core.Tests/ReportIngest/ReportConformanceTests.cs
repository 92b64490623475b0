using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using DmarcCloud.Core.ReportIngest;
using MimeKit;

namespace DmarcCloud.Core.Tests.ReportIngest;

/// <summary>
/// Every aggregate and failure sample of the conformance collection (TestData/reports, see its NOTICE): each file is
/// read, or rejected for the reason the table states. The figures in the table were counted independently (Python
/// ElementTree over the decompressed XML) and are checked again here by a deliberately simple reader (XDocument) that
/// shares no code with the parser.
/// </summary>
public class ReportConformanceTests
{
    /// <summary>file, expected outcome, records, messages, DMARC-pass messages (aligned DKIM or SPF pass), why.</summary>
    public static TheoryData<string, string, int, long, long, string> AggregateSamples => new()
    {
        { "mail-dmarc/test_dmarc.xml", "aggregate", 1, 1, 1, "RFC 7489 synthetic report" },
        { "mail-dmarc/test_dmarc.xml.gz", "aggregate", 1, 1, 1, "the same, gzip" },
        { "mail-dmarc/test_dmarc.xml.zip", "aggregate", 1, 1, 1, "the same, zip whose entry has an empty name" },
        { "opendmarc/163.com!example.com!1337270400!1337356799.20120518163.xml", "aggregate", 50, 92, 46, "NetEase; date_range as floats (warning)" },
        { "opendmarc/yeah.net!example.com!1337270400!1337356799.20120518.xml", "aggregate", 254, 21679, 21506, "NetEase yeah.net" },
        { "opendmarc/good.com!example.com!1337270400!1337356799.xml", "aggregate", 754, 183934, 182497, "NetEase 126.com, 497 KB" },
        { "opendmarc/bad.com!example.com!1337140800!1337227200.xml", "rejected:malformed XML", 0, 0, 0, "not well-formed: header_from 'example.com<foo' opens a tag" },
        { "parsedmarc/aggregate/!example.com!1538204542!1538463818.xml", "aggregate", 1, 1, 0, "empty org_name (warning)" },
        { "parsedmarc/aggregate/!large-example.com!1711897200!1711983600.xml", "aggregate", 2286, 2286, 0, "large report" },
        { "parsedmarc/aggregate/Report domain- borschow.com Submitter- google.com Report-ID- 949348866075514174.eml", "aggregate", 1, 1, 0, "Google mail, zip attachment" },
        { "parsedmarc/aggregate/addisonfoods.com!example.com!1536105600!1536191999.xml", "aggregate", 1, 1, 0, "small reporter" },
        { "parsedmarc/aggregate/empty_reason.xml", "aggregate", 1, 2, 2, "reason with empty type/comment" },
        { "parsedmarc/aggregate/estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip", "aggregate", 1, 1, 0, "zip" },
        { "parsedmarc/aggregate/example.net!example.com!1529366400!1529452799.xml", "aggregate", 1, 1, 0, "small reporter" },
        { "parsedmarc/aggregate/fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz", "aggregate", 1, 1, 0, "Fastmail, gzip" },
        { "parsedmarc/aggregate/ikea.com!example.de!1538690400!1538776800.xml", "aggregate", 1, 1, 0, "<feedback> inside an unclosed <xs:schema>: wrapper ignored (warning); counted by hand" },
        { "parsedmarc/aggregate/invalid_utf_8.xml", "aggregate", 1, 1, 0, "byte 0x91 in a comment-free text: replaced by U+FFFD (warning); counted by hand" },
        { "parsedmarc/aggregate/invalid_xml.xml", "rejected:malformed XML", 0, 0, 0, "<email><bad-xml@bad-xml.net></email> is not XML: the e-mail element cannot be read unambiguously" },
        { "parsedmarc/aggregate/mimecast-weird-gzip.eml", "aggregate", 1, 1, 1, "single-part gzip with trailing garbage" },
        { "parsedmarc/aggregate/old_draft_from_wiki.xml", "aggregate", 1, 2, 2, "pre-RFC draft (no version)" },
        { "parsedmarc/aggregate/protection.outlook.com!example.com!1711756800!1711843200.xml", "aggregate", 1, 1, 0, "Outlook.com" },
        { "parsedmarc/aggregate/rfc9990-example.net!example.com!1700000000!1700086399.xml", "aggregate", 2, 7, 5, "RFC 9990 elements without namespace" },
        { "parsedmarc/aggregate/rfc9990-sample.xml", "aggregate", 1, 123, 123, "RFC 9990 sample" },
        { "parsedmarc/aggregate/twilight.eml", "aggregate", 1, 1, 1, "Google mail, zip" },
        { "parsedmarc/aggregate/usssa.com!example.com!1538784000!1538870399.xml", "aggregate", 2, 2, 0, "small reporter" },
        { "parsedmarc/aggregate/veeam.com!example.com!1530133200!1530219600.xml", "aggregate", 1, 1, 0, "small reporter" },
        { "parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml", "aggregate", 1, 1, 1, "Pass/None upper-cased: lower-cased (warnings)" },
        { "parsedmarc/empty.xml", "rejected:empty", 0, 0, 0, "0-byte file" },
        { "parsedmarc/extract_report/changed-input.xml", "aggregate", 20, 3047, 3047, "nice-input with another org" },
        { "parsedmarc/extract_report/nice-input.xml", "aggregate", 20, 3047, 3047, "google.com" },
        { "parsedmarc/extract_report/nice-input.xml.gz", "aggregate", 20, 3047, 3047, "the same, gzip" },
        { "parsedmarc/extract_report/nice-input.xml.zip", "aggregate", 20, 3047, 3047, "the same, zip" },
        { "stalwart-mail-auth/001.xml", "aggregate", 1, 123, 123, "draft-era 2.0 sample" },
        { "stalwart-mail-auth/002.xml", "aggregate", 1, 2, 2, "google.com" },
        { "stalwart-mail-auth/003.xml", "aggregate", 4, 9, 1, "Fastmail" },
        { "stalwart-mail-auth/004.xml", "aggregate", 1, 123, 123, "RFC 9990 namespace" },
        { "stalwart-mail-auth/005.xml", "aggregate", 1, 1, 1, "RFC 7489 legacy" },
        { "stalwart-mail-auth/100.eml", "aggregate", 1, 1, 1, "Google, zip attachment" },
        { "stalwart-mail-auth/101.eml", "aggregate", 1, 1, 0, "gzip; &quot; entity in org_name" },
        { "stalwart-mail-auth/102.eml", "aggregate", 1, 1, 0, "Mail.Ru, gzip" },
        { "stalwart-mail-auth/103.eml", "aggregate", 1, 1, 0, "Microsoft, multipart/related with an HTML part, gzip" },
        { "stalwart-mail-auth/104.eml", "aggregate", 1, 1, 0, "Amazon SES, gzip as application/octet-stream, version 0.1" },
    };

    /// <summary>file, reported domain, source IP, auth failure (or "-"), format.</summary>
    public static TheoryData<string, string, string, string, string> FailureSamples => new()
    {
        { "parsedmarc/DMARC Failure Report for domain.de (mail-from=sharepoint@domain.de, ip=10.10.10.10).eml", "domain.de", "10.10.10.10", "dmarc", "arf" },
        { "parsedmarc/[Netease DMARC Failure Report] Rent Reminder.eml", "cardinal.com", "167.89.69.24", "-", "arf" },
        { "parsedmarc/dmarc_ruf_report_linkedin.eml", "example.com", "10.10.10.10", "dmarc", "arf" },
        { "parsedmarc/dmarc_ruf_report_linkedin.crlf.eml", "example.com", "10.10.10.10", "dmarc", "arf" },
        { "parsedmarc/exim_plain_text_only_no_arf_part.eml", "example.com", "203.0.113.68", "dmarc", "text" },
        { "stalwart-mail-auth/001.eml", "example.net", "-", "-", "arf" },
        { "stalwart-mail-auth/002.eml", "example.net", "192.0.2.1", "-", "arf" },
        { "stalwart-mail-auth/003.eml", "example.net", "192.0.2.1", "bodyhash", "arf" },
        { "stalwart-mail-auth/004.eml", "interpublication.org", "148.163.85.135", "dmarc", "arf" },
        { "stalwart-mail-auth/005.eml", "a.sender.example", "192.0.2.1", "bodyhash", "arf" },
    };

    [Fact]
    public void The_table_covers_every_sample_in_the_collection()
    {
        static IEnumerable<string> Samples(string kind) =>
            Directory.EnumerateFiles(TestFiles.PathOf("reports", kind), "*", SearchOption.AllDirectories)
                .Where(f => Path.GetExtension(f) is ".xml" or ".gz" or ".zip" or ".eml")
                .Select(f => Path.GetRelativePath(TestFiles.PathOf("reports", kind), f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal);

        Assert.Equal(Samples("aggregate"), AggregateSamples.Select(r => (string)r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(Samples("failure"), FailureSamples.Select(r => (string)r[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AggregateSamples))]
    public void Aggregate_sample_parses_to_the_independently_counted_figures_or_is_rejected_with_its_reason(
        string file, string expected, int records, long messages, long dmarcPass, string why)
    {
        Assert.False(string.IsNullOrEmpty(why));
        var result = ReceivedReportReader.Read(TestFiles.Bytes("reports", "aggregate", file));

        if (expected.StartsWith("rejected:", StringComparison.Ordinal))
        {
            Assert.NotNull(result.Error);
            Assert.Contains(expected["rejected:".Length..], result.Error, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(result.Items);
            return;
        }

        Assert.Null(result.Error);
        var report = Assert.Single(result.Reports).Aggregate;
        Assert.NotNull(report);
        Assert.Equal(records, report.Records.Count);
        Assert.Equal(messages, report.Records.Sum(r => r.Row.Count));
        Assert.Equal(dmarcPass, report.Records.Where(r => r.Row.PolicyEvaluated.DmarcPass).Sum(r => r.Row.Count));

        // The same figures again from XDocument, where the XML is well-formed enough for it.
        var xml = ExtractXml(file);
        if (xml is not null && TryLoad(xml) is { } document)
        {
            var root = document.Root!.Name.LocalName == "feedback" ? document.Root : document.Descendants().First(e => e.Name.LocalName == "feedback");
            var recordElements = root.Elements().Where(e => e.Name.LocalName == "record").ToList();
            Assert.Equal(recordElements.Count, report.Records.Count);
            Assert.Equal(recordElements.Sum(r => long.Parse(Text(r, "row", "count")!, System.Globalization.CultureInfo.InvariantCulture)), report.Records.Sum(r => r.Row.Count));
            Assert.Equal(Text(root, "report_metadata", "report_id"), report.ReportId);
            Assert.Equal(Text(root, "report_metadata", "org_name") ?? string.Empty, report.OrgName);
            Assert.Equal(Text(root, "policy_published", "domain")!.ToLowerInvariant(), report.PolicyPublished.Domain);
            Assert.Equal((long)decimal.Parse(Text(root, "report_metadata", "date_range", "begin")!, System.Globalization.CultureInfo.InvariantCulture), report.DateRange.Begin);
            for (var i = 0; i < recordElements.Count; i++)
            {
                Assert.Equal(Text(recordElements[i], "row", "policy_evaluated", "disposition")?.ToLowerInvariant() is { Length: > 0 } d ? d : null, report.Records[i].Row.PolicyEvaluated.Disposition);
                Assert.Equal(
                    recordElements[i].Elements().Where(e => e.Name.LocalName == "auth_results").Elements().Count(e => e.Name.LocalName == "dkim"),
                    report.Records[i].AuthResults.Dkim.Count);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FailureSamples))]
    public void Failure_sample_parses_to_the_fields_it_states(string file, string domain, string sourceIp, string authFailure, string format)
    {
        var result = ReceivedReportReader.Read(TestFiles.Bytes("reports", "failure", file));

        Assert.Null(result.Error);
        var report = Assert.Single(result.Reports).Failure;
        Assert.NotNull(report);
        Assert.Equal(domain, report.ReportedDomain);
        Assert.Equal(sourceIp == "-" ? null : sourceIp, report.SourceIp);
        Assert.Equal(authFailure == "-" ? null : authFailure, report.AuthFailure);
        Assert.Equal(format, report.Format);
    }

    [Fact]
    public void Upper_case_keywords_are_lower_cased_with_a_warning()
    {
        var report = ReceivedReportReader.Read(TestFiles.Bytes("reports", "aggregate", "parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml")).Reports.Single().Aggregate!;

        Assert.Equal("pass", report.Records[0].Row.PolicyEvaluated.Dkim);
        Assert.Equal("none", report.Records[0].Row.PolicyEvaluated.Disposition);
        Assert.Contains(report.Warnings, w => w.Contains("'Pass' read as 'pass'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_formats_are_told_apart()
    {
        string FormatOf(string file) => ReceivedReportReader.Read(TestFiles.Bytes("reports", "aggregate", file)).Reports.Single().Aggregate!.Format;

        Assert.Equal("rfc9990", FormatOf("stalwart-mail-auth/004.xml"));
        Assert.Equal("rfc7489", FormatOf("stalwart-mail-auth/005.xml"));
        Assert.Equal("draft", FormatOf("parsedmarc/aggregate/old_draft_from_wiki.xml"));
    }

    [Fact]
    public void An_entity_in_org_name_is_decoded()
    {
        var report = ReceivedReportReader.Read(TestFiles.Bytes("reports", "aggregate", "stalwart-mail-auth/101.eml")).Reports.Single().Aggregate!;

        Assert.Equal("\"backschues.NET", report.OrgName);
    }

    [Fact]
    public void Plain_gzip_and_zip_of_one_report_read_the_same()
    {
        string Json(string file) => ReportJson.Serialize(ReceivedReportReader.Read(TestFiles.Bytes("reports", "aggregate", "parsedmarc/extract_report", file)).Reports.Single().Aggregate!);

        var plain = Json("nice-input.xml");
        Assert.Equal(plain, Json("nice-input.xml.gz"));
        Assert.Equal(plain, Json("nice-input.xml.zip"));
        Assert.NotEqual(plain, ReportJson.Serialize(ReceivedReportReader.Read(TestFiles.Bytes("reports", "aggregate", "parsedmarc/extract_report/changed-input.xml")).Reports.Single().Aggregate!));
    }

    [Fact]
    public void An_mbox_of_several_report_mails_yields_each_report()
    {
        var mails = new[] { "aggregate/stalwart-mail-auth/100.eml", "aggregate/stalwart-mail-auth/102.eml", "failure/stalwart-mail-auth/004.eml" };
        using var mbox = new MemoryStream();
        foreach (var mail in mails)
        {
            mbox.Write("From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n"u8);
            mbox.Write(TestFiles.Bytes("reports", mail));
            mbox.Write("\n"u8);
        }

        var result = ReceivedReportReader.Read(mbox.ToArray());

        Assert.Equal("mbox", result.Kind);
        Assert.Equal(["aggregate", "aggregate", "failure"], result.Reports.Select(r => r.Aggregate?.Kind ?? r.Failure!.Kind));
    }

    private static string? Text(XElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            current = current?.Elements().FirstOrDefault(e => e.Name.LocalName == name);
        }

        return current?.Value.Trim();
    }

    private static XDocument? TryLoad(byte[] xml)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>The report XML of a sample, extracted without the parser's code: by extension, and MimeKit attachments for mail.</summary>
    private static byte[]? ExtractXml(string file)
    {
        var bytes = TestFiles.Bytes("reports", "aggregate", file);
        if (file.EndsWith(".eml", StringComparison.Ordinal))
        {
            var message = MimeMessage.Load(new MemoryStream(bytes));
            foreach (var part in message.BodyParts.OfType<MimePart>())
            {
                using var content = new MemoryStream();
                part.Content?.DecodeTo(content);
                var data = content.ToArray();
                if (data.Length > 2 && data[0] == 0x1F && data[1] == 0x8B)
                {
                    return Gunzip(data);
                }

                if (data.Length > 2 && data[0] == (byte)'P' && data[1] == (byte)'K')
                {
                    return Unzip(data);
                }
            }

            return null;
        }

        return file.EndsWith(".gz", StringComparison.Ordinal) ? Gunzip(bytes)
            : file.EndsWith(".zip", StringComparison.Ordinal) ? Unzip(bytes)
            : bytes;
    }

    /// <summary>Gunzips a sample, keeping what was decompressed before trailing garbage (Mimecast adds some).</summary>
    internal static byte[] Gunzip(byte[] data)
    {
        using var output = new MemoryStream();
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        try
        {
            gzip.CopyTo(output);
        }
        catch (InvalidDataException)
        {
            // Trailing garbage after the gzip member (Mimecast): keep what was decompressed.
        }

        return output.ToArray();
    }

    private static byte[] Unzip(byte[] data)
    {
        using var archive = new ZipArchive(new MemoryStream(data));
        using var entry = archive.Entries[0].Open();
        using var output = new MemoryStream();
        entry.CopyTo(output);
        return output.ToArray();
    }
}
