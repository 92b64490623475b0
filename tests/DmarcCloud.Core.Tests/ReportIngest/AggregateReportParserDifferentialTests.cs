using System.IO.Compression;
using System.Text;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Tests.ReportIngest.Oracle;
using MimeKit;

namespace DmarcCloud.Core.Tests.ReportIngest;

/// <summary>
/// The parser on its own tokenizer reads every aggregate report exactly as it did on <c>XmlReader</c>: the previous
/// parser is kept here as the oracle (<see cref="XmlReaderAggregateReportParser"/>, unchanged but for its name), and
/// both must give the same normalised JSON (warnings included) for every sample in the test data and for a table of
/// deviations real reports show. Rejections must agree too: the same reason, except that a malformed-XML reason
/// names the fault in the tokenizer's words instead of <c>XmlReader</c>'s.
/// </summary>
public class AggregateReportParserDifferentialTests
{
    private const string Record =
        "<record><row><source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf>" +
        "<reason><type>forwarded</type><comment>via list</comment></reason></policy_evaluated></row>" +
        "<identifiers><envelope_from>bounce.example.com</envelope_from><header_from>example.com</header_from></identifiers><auth_results><dkim><domain>example.com</domain><selector>s1</selector><result>pass</result><human_result>ok</human_result></dkim>" +
        "<spf><domain>example.com</domain><scope>mfrom</scope><result>fail</result></spf></auth_results></record>";

    private const string Metadata = "<org_name>r.example</org_name><email>a@r.example</email><report_id>1</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range>";

    public static TheoryData<string> SampleFiles()
    {
        var root = TestFiles.PathOf("reports", "aggregate");
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .Where(f => Path.GetExtension(f) is ".xml" or ".gz" or ".zip" or ".eml")
                     .Select(f => Path.GetRelativePath(TestFiles.PathOf(), f).Replace('\\', '/'))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        data.Add("schema/rfc9990_dmarc-xml-0.2_draft-32_example.xml");
        return data;
    }

    /// <summary>What is changed in a small, valid report (find → replace), and why the case matters.</summary>
    public static TheoryData<string, string, string> Deviations => new()
    {
        { "", "", "the report as it is" },
        { "<org_name>r.example", "<org_name>&quot;r&amp;co&quot; &#233;&#x4e2d;&lt;&gt;&apos;", "entities and character references" },
        { "<org_name>r.example", "<org_name><![CDATA[r<&>co]]>", "CDATA" },
        { "<org_name>r.example", "<org_name>  r<!-- c -->.ex<?pi x?>ample  ", "comment and PI inside text" },
        { "<org_name>r.example", "<org_name><![CDATA[a]]> <![CDATA[b]]>", "white space between CDATA sections" },
        { "<org_name>r.example", "<org_name>a<b>x</b>c", "an element inside a text element" },
        { "<comment>via list", "<comment>line one\r\nline two\rthree", "line ends inside text" },
        { "<disposition>none", "<disposition>\n\t None \n", "upper case and white space" },
        { "<dkim>pass</dkim><spf>", "<dkim>Pass</dkim><spf>", "upper-case Pass" },
        { "<email>a@r.example</email>", "<email/>", "empty optional element" },
        { "<begin>1700000000</begin>", "<begin>1700000000.5</begin>", "fractional timestamp" },
        { "<begin>1700000000</begin>", "<begin>yesterday</begin>", "bad timestamp" },
        { "<count>3</count>", "<count>-3</count>", "negative count" },
        { "<source_ip>192.0.2.1</source_ip>", "<source_ip>2001:DB8:0:0::1</source_ip>", "IPv6 normalised" },
        { "<source_ip>192.0.2.1</source_ip>", "<source_ip>not-an-ip</source_ip>", "not an IP" },
        { "<report_id>1</report_id>", "", "no report_id" },
        { "<feedback>", "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><version>1.0</version>", "RFC 9990 namespace" },
        { "<feedback>", "<feedback><version>1.0</version>", "RFC 7489 version" },
        { "<feedback>", "<feedback xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation='rua.xsd' id=\"x\">", "attributes" },
        { "<feedback>", "<feedback><unknown a='1'><deep><deeper>x</deeper></deep></unknown>", "unknown elements skipped" },
        { "<feedback>", "<wrapper><feedback>", "a wrapper element" },
        { "<feedback>", "<other>", "not a feedback root" },
        { "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"us-ascii\" standalone=\"yes\"?>", "us-ascii declared" },
        { "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\"?>\n<!-- before --><?pi before?>\n", "misc before the root" },
        { "<?xml version=\"1.0\"?>", "\uFEFF\uFEFF<?xml version=\"1.0\"?>", "two byte-order marks" },
        { "<?xml version=\"1.0\"?>", "\n  <?xml version=\"1.0\"?>", "white space before the declaration" },
        { "<?xml version=\"1.0\"?>", "", "no declaration" },
        { "<?xml version=\"1.0\"?>", "<!DOCTYPE feedback [<!ENTITY x \"y\">]>", "DOCTYPE" },
        { "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"x-unknown\"?>", "unknown encoding" },
        { "</policy_published>", "</policy_publishe>", "mismatched end tag" },
        { "<org_name>r.example", "<org_name>&nbsp;", "undefined entity" },
        { "<org_name>r.example", "<org_name>&#0;", "character reference to U+0000" },
        { "<org_name>r.example", "<org_name>\u0001", "control character" },
        { "</feedback>", "", "truncated" },
    };

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Every_sample_reads_as_it_did_with_XmlReader(string file)
    {
        var documents = XmlDocuments(file);

        Assert.NotEmpty(documents);
        foreach (var xml in documents)
        {
            AssertSameAsOracle(xml);
        }
    }

    [Theory]
    [MemberData(nameof(Deviations))]
    public void A_deviation_reads_as_it_did_with_XmlReader(string find, string replace, string why)
    {
        Assert.False(string.IsNullOrEmpty(why));
        var xml = Report();
        if (find.Length > 0)
        {
            Assert.Contains(find, xml, StringComparison.Ordinal);
            xml = xml.Replace(find, replace, StringComparison.Ordinal);
        }

        AssertSameAsOracle(Encoding.UTF8.GetBytes(xml));
    }

    [Fact]
    public void Other_encodings_and_invalid_utf8_read_as_they_did_with_XmlReader()
    {
        var text = Report().Replace("<org_name>r.example", "<org_name>caf\u00e9 \u201Cq\u201D", StringComparison.Ordinal);
        AssertSameAsOracle([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text.Replace("?>", " encoding=\"UTF-16\"?>", StringComparison.Ordinal))]);
        AssertSameAsOracle([.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)]);
        AssertSameAsOracle(Encoding.Latin1.GetBytes(Report().Replace("?>", " encoding=\"iso-8859-1\"?>", StringComparison.Ordinal).Replace("r.example<", "caf\u00e9<", StringComparison.Ordinal)));
        AssertSameAsOracle([.. "<?xml version=\"1.0\" encoding=\"windows-1252\"?>"u8, .. Encoding.UTF8.GetBytes(Report()[21..].Replace("r.example<", "\u0001<", StringComparison.Ordinal)).Select(b => b == 1 ? (byte)0x93 : b)]);

        var invalid = Encoding.UTF8.GetBytes(Report().Replace("r.example<", "\u0001<", StringComparison.Ordinal).Replace("<report_id>", "<!-- \u0002 --><report_id>", StringComparison.Ordinal));
        AssertSameAsOracle([.. invalid.Select(b => b switch { 1 => (byte)0x91, 2 => (byte)0xC3, _ => b })]);
    }

    [Fact]
    public void A_large_report_reads_as_it_did_with_XmlReader_through_a_record_sink()
    {
        var xml = Encoding.UTF8.GetBytes(Report(string.Concat(Enumerable.Range(0, 3000).Select(i => Record.Replace("192.0.2.1", $"10.0.{i / 250}.{i % 250}", StringComparison.Ordinal)))));
        var expected = new List<string>();
        var actual = new List<string>();

        var oracle = XmlReaderAggregateReportParser.Parse(new MemoryStream(xml), r => expected.Add(Json(r)));
        var result = AggregateReportParser.Parse(new MemoryStream(xml), r => actual.Add(Json(r)));

        Assert.True(result.Success, result.Error);
        Assert.Equal(3000, actual.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(ReportJson.Serialize(oracle.Value!), ReportJson.Serialize(result.Value!));
    }

    private static string Json(AggregateRecord record) => ReportJson.Serialize(new AggregateReport
    {
        Format = "x", OrgName = "x", ReportId = "x", DateRange = new ReportDateRange(0, 0), PolicyPublished = new ReportPolicyPublished { Domain = "x" }, Records = [record],
    });

    private static void AssertSameAsOracle(byte[] xml)
    {
        var expected = XmlReaderAggregateReportParser.Parse(new MemoryStream(xml));
        var actual = AggregateReportParser.Parse(new MemoryStream(xml));

        Assert.True(expected.Success == actual.Success, $"oracle: {expected.Error ?? "read"}; new parser: {actual.Error ?? "read"}");
        Assert.Equal(expected.RecordCount, actual.RecordCount);
        if (expected.Success)
        {
            Assert.Equal(ReportJson.Serialize(expected.Value!), ReportJson.Serialize(actual.Value!));
        }
        else if (expected.Error!.StartsWith("malformed XML", StringComparison.Ordinal))
        {
            Assert.StartsWith("malformed XML", actual.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected.Error, actual.Error);
        }
    }

    private static string Report(string records = Record) =>
        $"<?xml version=\"1.0\"?><feedback><report_metadata>{Metadata}</report_metadata><policy_published><domain>Example.COM.</domain><adkim>r</adkim><aspf>s</aspf><p>none</p><sp>quarantine</sp><pct>50</pct><fo>1</fo></policy_published>{records}</feedback>";

    /// <summary>The XML documents of a sample: itself, decompressed, or the report attachments of a mail.</summary>
    private static List<byte[]> XmlDocuments(string file)
    {
        var bytes = TestFiles.Bytes(file);
        if (!file.EndsWith(".eml", StringComparison.Ordinal))
        {
            return [Unpack(bytes)];
        }

        var documents = new List<byte[]>();
        foreach (var part in MimeMessage.Load(new MemoryStream(bytes)).BodyParts.OfType<MimePart>())
        {
            using var content = new MemoryStream();
            part.Content?.DecodeTo(content);
            var data = Unpack(content.ToArray());
            if (data.AsSpan().IndexOf("<feedback"u8) >= 0)
            {
                documents.Add(data);
            }
        }

        return documents;
    }

    private static byte[] Unpack(byte[] data)
    {
        if (data.Length > 2 && data[0] == 0x1F && data[1] == 0x8B)
        {
            return ReportConformanceTests.Gunzip(data);
        }

        if (data.Length > 2 && data[0] == (byte)'P' && data[1] == (byte)'K')
        {
            using var archive = new ZipArchive(new MemoryStream(data));
            using var entry = archive.Entries[0].Open();
            using var output = new MemoryStream();
            entry.CopyTo(output);
            return output.ToArray();
        }

        return data;
    }
}
