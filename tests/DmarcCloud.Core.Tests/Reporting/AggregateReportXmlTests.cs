using System.Text;
using System.Xml.Linq;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests.Reporting;

public class AggregateReportXmlTests
{
    private static readonly ReportingOrganization Org = new("Example Receiver", "dmarc-reports@receiver.example", "receiver.example", "https://receiver.example/dmarc");

    public static TheoryData<string, ReportableVerdict> EdgeCases => WithEverySpfResult(new()
    {
        { "plain pass", Verdicts.Pass() },
        { "fail with reject", Verdicts.Fail() },
        { "no dkim signature at all", Verdicts.Fail(dkim: []) },
        { "no spf result", Verdicts.Fail(spf: null) },
        { "no envelope from", Verdicts.Fail(envelopeFrom: null) },
        { "helo identity", Verdicts.Fail(spf: new SpfCheckResult(SpfResult.Neutral, SpfIdentity.Helo, "mx.other.example")) },
        { "unparseable signature: empty selector", Verdicts.Fail(dkim: [new DkimSignatureResult(DkimResult.PermError, "", "", "")]) },
        { "every dkim result", Verdicts.Fail(dkim: Enum.GetValues<DkimResult>().Select(r => new DkimSignatureResult(r, "x.example", "s", "rsa-sha256")).ToList()) },
        { "every override reason", Verdicts.Fail(disposition: Disposition.None, reasons: Enum.GetValues<PolicyOverrideType>().Select(t => new PolicyOverrideReason(t, t == PolicyOverrideType.MailingList ? "list.example" : null)).ToList()) },
        { "150 dkim signatures", Verdicts.Fail(dkim: Enumerable.Range(0, 150).Select(i => new DkimSignatureResult(DkimResult.Fail, $"d{i}.example", "s", "rsa-sha256")).ToList()) },
        { "ipv6 compressed", Verdicts.Pass(ip: "2a00:1450:4001:82b::200e") },
        { "ipv4-mapped ipv6", Verdicts.Pass(ip: "::ffff:198.51.100.1") },
        { "quarantine", Verdicts.Fail(disposition: Disposition.Quarantine) },
        { "testing policy with np and sp", Verdicts.Pass(policy: Verdicts.Policy(p: DmarcPolicy.Quarantine, sp: DmarcPolicy.None, np: DmarcPolicy.Reject, testing: true)) },
        { "xml special characters in comment", Verdicts.Fail(disposition: Disposition.None, reasons: [new PolicyOverrideReason(PolicyOverrideType.Other, "a<b & \"c\"")]) },
    });

    /// <summary>Adds one row per SPF result, for each identity, so every value the writer maps is validated.</summary>
    private static TheoryData<string, ReportableVerdict> WithEverySpfResult(TheoryData<string, ReportableVerdict> data)
    {
        foreach (var result in Enum.GetValues<SpfResult>())
        {
            foreach (var identity in Enum.GetValues<SpfIdentity>())
            {
                data.Add($"spf {result} for {identity}", Verdicts.Fail(spf: new SpfCheckResult(result, identity, "x.example")));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public async Task Rfc9990_reports_validate_against_the_rfc9990_schema(string name, ReportableVerdict verdict)
    {
        var xml = await WriteAsync(verdict, AggregateReportFormat.Rfc9990);
        var validation = Schemas.Validator.Validate(xml);
        Assert.True(validation.IsValidRfc9990, name + ": " + string.Join("\n", validation.Rfc9990Errors));
        Assert.Equal(AggregateReportFormat.Rfc9990, validation.Matched);
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public async Task Rfc7489_reports_validate_against_the_rfc7489_schema(string name, ReportableVerdict verdict)
    {
        var xml = await WriteAsync(verdict, AggregateReportFormat.Rfc7489);
        var validation = Schemas.Validator.Validate(xml);
        Assert.True(validation.IsValidRfc7489, name + ": " + string.Join("\n", validation.Rfc7489Errors));
        Assert.False(validation.IsValidRfc9990);
    }

    [Fact]
    public async Task Rfc9990_report_carries_namespace_version_generator_and_policy_fields()
    {
        var xml = await WriteAsync(Verdicts.Pass(policy: Verdicts.Policy(p: DmarcPolicy.Quarantine, np: DmarcPolicy.Reject, testing: true)), AggregateReportFormat.Rfc9990);
        var doc = XDocument.Parse(Encoding.UTF8.GetString(xml));
        XNamespace ns = AggregateReportXmlWriter.Rfc9990Namespace;

        Assert.Equal(ns + "feedback", doc.Root!.Name);
        Assert.Equal("1.0", doc.Root.Element(ns + "version")!.Value);
        var metadata = doc.Root.Element(ns + "report_metadata")!;
        Assert.Equal("DmarcCloud", metadata.Element(ns + "generator")!.Value);
        Assert.Equal("https://receiver.example/dmarc", metadata.Element(ns + "extra_contact_info")!.Value);
        Assert.Equal("1795219200", metadata.Element(ns + "date_range")!.Element(ns + "begin")!.Value); // 2026-11-21T00:00:00Z
        Assert.Equal("1795305599", metadata.Element(ns + "date_range")!.Element(ns + "end")!.Value);
        var policy = doc.Root.Element(ns + "policy_published")!;
        Assert.Equal("reject", policy.Element(ns + "np")!.Value);
        Assert.Equal("y", policy.Element(ns + "testing")!.Value);
        Assert.Equal("treewalk", policy.Element(ns + "discovery_method")!.Value);
        Assert.Null(policy.Element(ns + "pct"));
        var record = doc.Root.Element(ns + "record")!;
        Assert.Equal("pass", record.Descendants(ns + "disposition").Single().Value);
        Assert.Equal("s1", record.Descendants(ns + "selector").Single().Value);
        Assert.Equal("mfrom", record.Descendants(ns + "scope").Single().Value);
    }

    [Fact]
    public async Task Reasons_missing_from_a_format_are_written_as_other_with_the_name_in_the_comment()
    {
        var verdict = Verdicts.Fail(disposition: Disposition.None, reasons: [new PolicyOverrideReason(PolicyOverrideType.Forwarded), new PolicyOverrideReason(PolicyOverrideType.PolicyTestMode)]);
        var rfc9990 = Encoding.UTF8.GetString(await WriteAsync(verdict, AggregateReportFormat.Rfc9990));
        var rfc7489 = Encoding.UTF8.GetString(await WriteAsync(verdict, AggregateReportFormat.Rfc7489));

        Assert.Contains("<type>other</type>\n          <comment>forwarded</comment>", rfc9990, StringComparison.Ordinal);
        Assert.Contains("<type>policy_test_mode</type>", rfc9990, StringComparison.Ordinal);
        Assert.Contains("<type>forwarded</type>", rfc7489, StringComparison.Ordinal);
        Assert.Contains("<comment>policy_test_mode</comment>", rfc7489, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc7489_writes_ipv6_in_full_form_and_pass_as_none()
    {
        var xml = Encoding.UTF8.GetString(await WriteAsync(Verdicts.Pass(ip: "2001:db8::1"), AggregateReportFormat.Rfc7489));
        Assert.Contains("<source_ip>2001:db8:0:0:0:0:0:1</source_ip>", xml, StringComparison.Ordinal);
        Assert.Contains("<disposition>none</disposition>", xml, StringComparison.Ordinal);
        Assert.Contains("<feedback>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rfc9990_example_report_validates_and_a_broken_one_does_not()
    {
        var example = File.ReadAllBytes(Schemas.TestData("schema", "rfc9990_dmarc-xml-0.2_draft-32_example.xml"));
        Assert.True(Schemas.Validator.Validate(example).IsValidRfc9990);

        var broken = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(example).Replace("<disposition>pass</disposition>", "<disposition>deliver</disposition>", StringComparison.Ordinal));
        var validation = Schemas.Validator.Validate(broken);
        Assert.Null(validation.Matched);
        Assert.NotEmpty(validation.Rfc9990Errors);
    }

    [Fact]
    public void The_embedded_schemas_load()
    {
        var example = File.ReadAllBytes(Schemas.TestData("schema", "rfc9990_dmarc-xml-0.2_draft-32_example.xml"));
        Assert.Equal(AggregateReportFormat.Rfc9990, AggregateReportSchemaValidator.CreateDefault().Validate(example).Matched);
    }

    private static async Task<byte[]> WriteAsync(ReportableVerdict verdict, AggregateReportFormat format)
    {
        var content = Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream([verdict, verdict]), Verdicts.Day));
        var (begin, end) = AggregateReportMetadata.RangeOf(Verdicts.Day);
        using var stream = new MemoryStream();
        AggregateReportXmlWriter.Write(stream, new AggregateReportMetadata(Org, "abc@receiver.example", begin, end), content.Policy, content.Rows, format);
        return stream.ToArray();
    }
}
