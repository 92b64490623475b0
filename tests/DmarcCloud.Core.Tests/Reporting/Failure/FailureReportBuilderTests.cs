using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Reporting.Failure;
using DmarcCloud.Core.Spf;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace DmarcCloud.Core.Tests.Reporting.Failure;

/// <summary>The AFRF report (RFC 5965, RFC 6591, RFC 9991 §4) as MimeKit reads it, and what the privacy settings let into it.</summary>
public sealed class FailureReportBuilderTests
{
    private static readonly ReportDestination Destination = new("mailto:ruf@example.com", "ruf@example.com", "example.com");

    private static readonly FailureReportContentOptions Defaults = new() { FromAddress = "dmarc-reports@receiver.example", ReporterDomain = "receiver.example" };

    private static (FailureReport Report, string Text, MimeMessage Parsed) Build(FailureReportContentOptions? options = null, FailureReportInput? input = null, ReportDestination? destination = null)
    {
        var builder = new FailureReportBuilder(options ?? Defaults, new FakeTimeProvider(FailureVerdicts.ReceivedAt.AddMinutes(1)));
        input ??= new FailureReportInput("msg-1", FailureVerdicts.Make(), FailureVerdicts.Message(), FailureReportOptions.AnyFail);
        var report = builder.Build(input, destination ?? Destination);
        var text = FailureReportBuilder.ToText(report.Message);
        return (report, text, AfrfShape.Load(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void The_report_is_an_auth_failure_feedback_report_with_the_rfc_9991_fields()
    {
        var (report, _, parsed) = Build();
        var shape = AfrfShape.Of(parsed);

        Assert.Equal("feedback-report", shape.ReportType);
        Assert.Equal("text/plain", shape.FirstPart);
        Assert.Equal("text/rfc822-headers", shape.ThirdPart);
        var f = shape.Fields;
        Assert.Equal("auth-failure", f["Feedback-Type"]);
        Assert.Equal("1", f["Version"]);
        Assert.Equal("dmarc", f["Auth-Failure"]);
        Assert.Equal("dkim, spf", f["Identity-Alignment"]);
        Assert.Equal("example.com", f["Reported-Domain"]);
        Assert.Equal("203.0.113.9", f["Source-IP"]);
        Assert.Equal(FailureVerdicts.ReceivedAt, MimeKit.Utils.DateUtils.TryParse(f["Arrival-Date"], out var arrival) ? arrival : default);
        Assert.Equal("<bounce@bad.example>", f["Original-Mail-From"]);
        Assert.Equal("reject", f["Delivery-Result"]);
        Assert.Equal("example.com", f["DKIM-Domain"]);
        Assert.Equal("sel", f["DKIM-Selector"]);
        Assert.Equal("@example.com", f["DKIM-Identity"]);
        Assert.StartsWith("txt : bad.example : v=spf1", f["SPF-DNS"]);
        Assert.Contains("dmarc=fail header.from=example.com", f["Authentication-Results"]!.Replace("\r\n\t", " ", StringComparison.Ordinal));
        Assert.Null(f["DKIM-Canonicalized-Header"]);
        Assert.Null(f["DKIM-Canonicalized-Body"]);
        Assert.Null(f["Incidents"]);

        Assert.Equal("FW: Invoice 4711 for " + new LocalPartRedactor("dmarccloud-redaction:receiver.example").Token("alice.private") + "@receiver.example", parsed.Subject);
        Assert.Equal("ruf@example.com", parsed.To.Mailboxes.Single().Address);
        Assert.Equal("dmarc-reports@receiver.example", parsed.From.Mailboxes.Single().Address);
        Assert.Equal("failure", parsed.Headers[ReportMailDetector.MarkerHeader]);
        Assert.False(report.BodyIncluded);
        Assert.Equal("dmarc", report.AuthFailure);
    }

    [Fact]
    public void By_default_the_body_is_left_out_and_recipient_local_parts_are_redacted()
    {
        var (_, text, parsed) = Build();
        Assert.DoesNotContain(FailureVerdicts.BodyMarker, text, StringComparison.Ordinal);
        foreach (var local in new[] { "alice.private", "bob.secret", "carol.hidden", "Alice Private" })
        {
            Assert.DoesNotContain(local, text, StringComparison.OrdinalIgnoreCase);
        }

        var redactor = new LocalPartRedactor("dmarccloud-redaction:receiver.example");
        var shape = AfrfShape.Of(parsed);
        Assert.Equal("<" + redactor.Token("alice.private") + "@receiver.example>", shape.Fields["Original-Rcpt-To"]);
        // MimeKit reads text/rfc822-headers as a TextRfc822Headers (a MessagePart holding a body-less message).
        var headers = Assert.IsAssignableFrom<MessagePart>(((MultipartReport)parsed.Body!)[2]).Message!.Headers;
        Assert.Equal([redactor.Token("alice.private") + "@receiver.example", redactor.Token("bob.secret") + "@receiver.example"],
            InternetAddressList.Parse(headers["To"]!).Mailboxes.Select(m => m.Address));
        Assert.Contains("for <" + redactor.Token("alice.private") + "@receiver.example>", headers["Received"], StringComparison.Ordinal);
        Assert.Equal("billing@example.com", InternetAddressList.Parse(headers["From"]!).Mailboxes.Single().Address); // sender kept by default
        Assert.NotNull(headers["DKIM-Signature"]);
    }

    [Fact]
    public void Redaction_off_keeps_the_addresses_and_sender_redaction_hides_the_sender_too()
    {
        var (_, plain, _) = Build(Defaults with { RedactRecipientLocalParts = false });
        Assert.Contains("alice.private@receiver.example", plain, StringComparison.Ordinal);

        var (_, both, parsed) = Build(Defaults with { RedactSenderLocalParts = true });
        Assert.DoesNotContain("billing@", both, StringComparison.Ordinal);
        Assert.DoesNotContain("<bounce@", both, StringComparison.Ordinal);
        Assert.EndsWith("@bad.example>", AfrfShape.Of(parsed).Fields["Original-Mail-From"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_whole_message_only_when_the_operator_opts_in()
    {
        var (report, text, parsed) = Build(Defaults with { IncludeBody = true });
        Assert.True(report.BodyIncluded);
        Assert.Equal("message/rfc822", AfrfShape.Of(parsed).ThirdPart);
        Assert.Contains(FailureVerdicts.BodyMarker, text, StringComparison.Ordinal);
        var inner = ((MessagePart)((MultipartReport)parsed.Body!)[2]).Message!;
        Assert.DoesNotContain("alice.private", inner.To.ToString(), StringComparison.Ordinal); // still redacted
    }

    [Fact]
    public void Dkim_canonicalized_header_and_body_only_when_enabled()
    {
        var (_, _, parsed) = Build(Defaults with { IncludeDkimCanonicalizedHeader = true, IncludeDkimCanonicalizedBody = true });
        var f = AfrfShape.Of(parsed).Fields;
        var header = Encoding.Latin1.GetString(Convert.FromBase64String(Unfold(f["DKIM-Canonicalized-Header"]!)));
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(Unfold(f["DKIM-Canonicalized-Body"]!)));
        Assert.StartsWith("from:\"Example Billing\" <billing@example.com>\r\nto:", header, StringComparison.Ordinal); // the signed header data, unredacted as signed
        Assert.Contains("dkim-signature:v=1;", header, StringComparison.Ordinal);
        Assert.EndsWith(" b=", header, StringComparison.Ordinal);
        Assert.Equal(FailureVerdicts.BodyMarker + "\r\nPlease pay now.\r\n", body);

        var (_, _, onlyHeader) = Build(Defaults with { IncludeDkimCanonicalizedHeader = true });
        Assert.NotNull(AfrfShape.Of(onlyHeader).Fields["DKIM-Canonicalized-Header"]);
        Assert.Null(AfrfShape.Of(onlyHeader).Fields["DKIM-Canonicalized-Body"]);
    }

    [Theory]
    [InlineData(FailureReportOptions.DkimFail, "bodyhash")]
    [InlineData(FailureReportOptions.SpfFail, "spf")]
    [InlineData(FailureReportOptions.AllFail, "dmarc")]
    public void Auth_failure_names_what_fired(FailureReportOptions fired, string expected)
    {
        var (report, _, parsed) = Build(input: new FailureReportInput("msg-1", FailureVerdicts.Make(), FailureVerdicts.Message(), fired));
        Assert.Equal(expected, report.AuthFailure);
        Assert.Equal(expected, AfrfShape.Of(parsed).Fields["Auth-Failure"]);
    }

    [Fact]
    public void Identity_alignment_lists_only_the_methods_that_failed_alignment()
    {
        var verdict = FailureVerdicts.Make(spf: SpfResult.Pass, spfDomain: "example.com", spfAligned: true);
        var (_, _, parsed) = Build(input: new FailureReportInput("msg-1", verdict, FailureVerdicts.Message(), FailureReportOptions.AnyFail));
        var f = AfrfShape.Of(parsed).Fields;
        Assert.Equal("dkim", f["Identity-Alignment"]);
        Assert.Null(f["SPF-DNS"]); // SPF passed
    }

    [Fact]
    public void Aggregated_failures_carry_incidents()
    {
        var (_, text, parsed) = Build(input: new FailureReportInput("incidents:1:k", FailureVerdicts.Make(), FailureVerdicts.Message(), FailureReportOptions.AnyFail, 9_999));
        Assert.Equal("9999", AfrfShape.Of(parsed).Fields["Incidents"]);
        Assert.Contains("stands for 9999 identical failures", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_published_size_limit_below_the_cap_drops_the_body_first_then_header_fields()
    {
        var big = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(FailureVerdicts.Message()) + new string('x', 50_000) + "\r\n");
        var input = new FailureReportInput("msg-1", FailureVerdicts.Make(), big, FailureReportOptions.AnyFail);
        var small = Destination with { MaxSizeBytes = 20_000 };
        var (report, _, parsed) = Build(Defaults with { IncludeBody = true }, input, small);
        Assert.False(report.BodyIncluded);
        Assert.True(report.Size <= 20_000);
        Assert.Contains(report.Notes, n => n.Contains("body was left out", StringComparison.Ordinal));
        Assert.Equal("text/rfc822-headers", AfrfShape.Of(parsed).ThirdPart);

        var headersOnly = Build(Defaults, input).Report.Size;
        var tiny = Destination with { MaxSizeBytes = headersOnly - 300 };
        var (cut, _, cutParsed) = Build(Defaults, input, tiny);
        Assert.Contains(cut.Notes, n => n.StartsWith("header fields cut", StringComparison.Ordinal));
        Assert.True(cut.Size <= headersOnly - 300);
        Assert.Equal("auth-failure", AfrfShape.Of(cutParsed).Fields["Feedback-Type"]);

        Assert.Equal(1L << 20, new FailureReportBuilder(Defaults, TimeProvider.System).CapFor(Destination with { MaxSizeBytes = 1L << 40 }));
    }

    [Theory]
    [InlineData("stalwart-003.eml")]
    [InlineData("stalwart-004.eml")]
    [InlineData("stalwart-005.eml")]
    [InlineData("parsedmarc-linkedin.crlf.eml")]
    [InlineData("parsedmarc-domain-de.eml")]
    public void The_report_has_the_structure_of_real_reporters_failure_reports(string sample)
    {
        var theirs = AfrfShape.Of(AfrfShape.Load(TestFiles.Bytes("failure", sample)));
        var ours = AfrfShape.Of(Build().Parsed);
        var ourWhole = AfrfShape.Of(Build(Defaults with { IncludeBody = true }).Parsed);

        Assert.Equal(theirs.ReportType, ours.ReportType);
        Assert.Equal(theirs.FirstPart, ours.FirstPart);
        Assert.Contains(theirs.ThirdPart, new[] { ours.ThirdPart, ourWhole.ThirdPart });
        Assert.Equal(theirs.Fields["Feedback-Type"], ours.Fields["Feedback-Type"]);
        // Every field the sample's reporter wrote that RFC 5965/6591 define for auth-failure reports, ours writes too.
        string[] defined = ["Feedback-Type", "User-Agent", "Version", "Auth-Failure", "Authentication-Results", "Original-Mail-From", "Original-Rcpt-To",
            "Arrival-Date", "Source-IP", "Reported-Domain", "Delivery-Result", "DKIM-Domain", "DKIM-Identity", "DKIM-Selector", "Identity-Alignment"];
        foreach (var name in theirs.Fields.Select(h => h.Field).Where(n => defined.Contains(n, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Assert.True(ours.Fields.Contains(name), $"{sample} has {name}, ours does not");
        }
    }

    [Fact]
    public void Our_report_is_recognised_as_report_mail_and_a_plain_message_is_not()
    {
        Assert.NotNull(ReportMailDetector.ReasonIsReport(Build().Parsed));
        Assert.Null(ReportMailDetector.ReasonIsReport(AfrfShape.Load(FailureVerdicts.Message())));
        Assert.NotNull(ReportMailDetector.ReasonIsReport(AfrfShape.Load(TestFiles.Bytes("failure", "stalwart-004.eml"))));
        var aggregate = new MimeMessage { Subject = "Report Domain: example.com Submitter: receiver.example Report-ID: abc@receiver.example", Body = new TextPart("plain") { Text = "x" } };
        Assert.NotNull(ReportMailDetector.ReasonIsReport(aggregate));
    }

    [Fact]
    public void Redaction_tokens_are_stable_per_key_and_differ_between_keys()
    {
        var a = new LocalPartRedactor("key-a");
        Assert.Equal(a.Token("Alice"), a.Token("alice"));
        Assert.NotEqual(a.Token("alice"), a.Token("bob"));
        Assert.NotEqual(a.Token("alice"), new LocalPartRedactor("key-b").Token("alice"));
        Assert.Matches("^[a-z2-7]{16}$", a.Token("alice"));
        Assert.True(MailboxAddress.TryParse(a.RedactAddress("\"odd local\"@example.com"), out _));
    }

    [Fact]
    public void Identical_failures_share_an_incident_key_and_other_sources_do_not()
    {
        var one = FailureIncident.KeyOf(FailureVerdicts.Make(rcpt: ["a@receiver.example"]), FailureReportOptions.AnyFail);
        Assert.Equal(one, FailureIncident.KeyOf(FailureVerdicts.Make(rcpt: ["b@receiver.example"]), FailureReportOptions.AnyFail));
        Assert.NotEqual(one, FailureIncident.KeyOf(FailureVerdicts.Make(ip: "203.0.113.10"), FailureReportOptions.AnyFail));
        Assert.NotEqual(one, FailureIncident.KeyOf(FailureVerdicts.Make(dkim: DkimResult.PermError), FailureReportOptions.AnyFail));
    }

    private static string Unfold(string value) => value.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\t", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
}
