using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.ReportMail;
using DmarcCloud.Testing;
using MimeKit;

namespace DmarcCloud.Functions.Tests.ReportMail;

/// <summary>
/// The first intake door: report mail on the inbound path (blob + envelope → EvaluateMessage's processor) through the
/// app's real DI registrations on Azurite. The evaluator is scripted (the report mail's DMARC result is the input
/// under test here, not evaluation); reading and storing the reports is the real code.
/// </summary>
public class ReportMailIntakeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Mailbox = "dmarc-rua@reports.example";
    private static readonly DateOnly Day = new(2026, 11, 20);

    [Fact]
    public async Task A_report_mail_with_dmarc_pass_is_stored_after_its_evaluation_and_a_redelivery_does_not_count_it_twice()
    {
        var domain = UniqueDomain();
        var blob = await UploadAsync(ReportMail(domain, "r-accept", [("192.0.2.1", 40, "none", "pass", "pass"), ("198.51.100.7", 2, "reject", "fail", "fail")]), Mailbox);
        var publisher = new RecordingPublisher();
        await using var app = Build(publisher, ReportMailVerdicts.Pass);
        var body = InboundEvents.BlobCreated(blob);

        var first = await Processor(app).ProcessAsync(body, new QueueDelivery("rm-1", 1));

        Assert.Equal(InboundOutcomeStatus.Evaluated, first.Status);
        Assert.True(first.ReportMail is { Accepted: true }, first.Reason);
        Assert.Equal(1, first.ReportMail.Result!.Stored);
        Assert.Single(publisher.On(ResourceNames.VerdictsQueue)); // evaluated like any other mail first
        var summary = await Query(app).GetSummaryAsync(domain, to: Day.AddDays(1));
        Assert.Equal(42, summary.Messages);
        Assert.Equal(40, summary.Compliant);
        Assert.Equal(2, summary.Rejected);
        Assert.Equal(1, summary.TotalReports);

        var again = await Processor(app).ProcessAsync(body, new QueueDelivery("rm-1", 2));

        Assert.Equal(InboundOutcomeStatus.Evaluated, again.Status);
        Assert.Equal(0, again.ReportMail!.Result!.Stored);
        Assert.Equal(1, again.ReportMail.Result.Duplicates);
        var after = await Query(app).GetSummaryAsync(domain, to: Day.AddDays(1));
        Assert.Equal(42, after.Messages);
        Assert.Equal(1, after.TotalReports);
        Assert.Single(await Query(app).ListReportsAsync(domain, to: Day.AddDays(1)));
    }

    [Fact]
    public async Task A_report_mail_failing_dmarc_is_refused_recorded_with_its_reason_and_stores_nothing()
    {
        var domain = UniqueDomain();
        var blob = await UploadAsync(ReportMail(domain, "r-forged", [("192.0.2.1", 1000, "none", "pass", "pass")]), "Other@Example.Net", Mailbox.ToUpperInvariant());
        await using var app = Build(new RecordingPublisher(), ReportMailVerdicts.Fail);

        var outcome = await Processor(app).ProcessAsync(InboundEvents.BlobCreated(blob), new QueueDelivery("rm-2", 1));

        Assert.Equal(InboundOutcomeStatus.Evaluated, outcome.Status);
        Assert.False(outcome.ReportMail!.Accepted);
        Assert.Null(outcome.ReportMail.Result);
        var rejection = Assert.Single(await RejectionsAsync("inbound/" + blob));
        Assert.Equal("mail", rejection.GetString("Source"));
        Assert.Equal(
            "refused report mail: DMARC fail for From domain reporter.example, and no ARC chain; Ingest:Acceptance=DmarcPassOrTrustedArc requires a DMARC pass or a trusted ARC chain",
            rejection.GetString("Reason"));
        Assert.DoesNotContain(await Query(app).ListDomainsAsync(), d => d.Domain == domain);
        Assert.Equal(0, (await Query(app).GetSummaryAsync(domain, to: Day.AddDays(1))).Messages);
    }

    [Fact]
    public async Task A_report_mail_that_cannot_be_read_is_recorded_with_its_reason()
    {
        var broken = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>reporter.example</org_name></report_metadata><policy_published><domain>x.example</domain></policy_published>");
        var blob = await UploadAsync(Mail(broken, "report.xml", "text/xml"), Mailbox);
        await using var app = Build(new RecordingPublisher(), ReportMailVerdicts.Pass);

        var outcome = await Processor(app).ProcessAsync(InboundEvents.BlobCreated(blob), new QueueDelivery("rm-3", 1));

        Assert.Equal(InboundOutcomeStatus.Evaluated, outcome.Status);
        Assert.True(outcome.ReportMail!.Accepted);
        var item = Assert.Single(outcome.ReportMail.Result!.Items);
        Assert.Equal("rejected", item.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(item.Reason));
        var rejection = Assert.Single(await RejectionsAsync("inbound/" + blob, byFileName: true));
        Assert.Equal(item.Reason, rejection.GetString("Reason"));
        Assert.StartsWith("received-reports/", "received-reports/" + rejection.GetString("Blob"), StringComparison.Ordinal);
        Assert.Contains("1 rejected", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_not_addressed_to_a_report_mailbox_is_only_evaluated()
    {
        var domain = UniqueDomain();
        var blob = await UploadAsync(ReportMail(domain, "r-elsewhere", [("192.0.2.1", 5, "none", "pass", "pass")]), "postmaster@reports.example");
        await using var app = Build(new RecordingPublisher(), ReportMailVerdicts.Pass);

        var outcome = await Processor(app).ProcessAsync(InboundEvents.BlobCreated(blob), new QueueDelivery("rm-4", 1));

        Assert.Equal(InboundOutcomeStatus.Evaluated, outcome.Status);
        Assert.Null(outcome.ReportMail);
        Assert.DoesNotContain(await Query(app).ListDomainsAsync(), d => d.Domain == domain);
    }

    public static TheoryData<string, ReportMailAcceptance, DmarcResult, string?, string?> AcceptanceCases() => new()
    {
        // what, setting, the report mail's DMARC, ARC (newest sealer|its AAR), expected refusal (null = accepted)
        { "pass", ReportMailAcceptance.DmarcPassOrTrustedArc, DmarcResult.Pass, null, null },
        { "fail, trusted sealer saw pass", ReportMailAcceptance.DmarcPassOrTrustedArc, DmarcResult.Fail, "list.example|mx.list.example; dmarc=pass header.from=reporter.example", null },
        { "fail, sealer not trusted", ReportMailAcceptance.DmarcPassOrTrustedArc, DmarcResult.Fail, "other.example|mx.other.example; dmarc=pass", "the ARC chain's newest sealer other.example is not in Ingest:TrustedArcSealers" },
        { "fail, trusted sealer saw fail", ReportMailAcceptance.DmarcPassOrTrustedArc, DmarcResult.Fail, "list.example|mx.list.example; dmarc=fail", "the trusted ARC sealer list.example recorded no dmarc=pass" },
        { "fail, broken chain", ReportMailAcceptance.DmarcPassOrTrustedArc, DmarcResult.Fail, "!list.example|mx.list.example; dmarc=pass", "the ARC chain fails" },
        { "fail, trusted ARC but DmarcPass only", ReportMailAcceptance.DmarcPass, DmarcResult.Fail, "list.example|mx.list.example; dmarc=pass", "Ingest:Acceptance=DmarcPass requires a DMARC pass" },
        { "none (no policy)", ReportMailAcceptance.DmarcPassOrTrustedArc, DmarcResult.None, null, "DMARC none for From domain reporter.example, and no ARC chain" },
        { "fail, Any", ReportMailAcceptance.Any, DmarcResult.Fail, null, null },
    };

    [Theory]
    [MemberData(nameof(AcceptanceCases))]
    public void The_report_mails_own_dmarc_result_or_a_trusted_arc_chain_decides(string what, ReportMailAcceptance acceptance, DmarcResult dmarc, string? arc, string? refusal)
    {
        var options = new IngestOptions { Mailboxes = Mailbox, Acceptance = acceptance, TrustedArcSealers = "List.Example, forwarder.example" };
        var verdict = ReportMailVerdicts.With(Envelope(Mailbox), dmarc) with { Arc = Arc(arc) };

        var reason = ReportMailIntake.RefusalReason(verdict, options);

        if (refusal is null)
        {
            Assert.True(reason is null, $"{what}: {reason}");
        }
        else
        {
            Assert.True(reason is not null && reason.Contains(refusal, StringComparison.Ordinal), $"{what}: {reason}");
        }
    }

    [Theory]
    [InlineData("Ingest:Mailboxes", "dmarc@reports.example, not-an-address", "Ingest:Mailboxes: 'not-an-address' is not a mail address")]
    [InlineData("Ingest:TrustedArcSealers", "user@list.example", "Ingest:TrustedArcSealers: 'user@list.example' is not a domain name")]
    public void Invalid_ingest_settings_stop_the_app_with_their_reason(string key, string value, string reason)
    {
        using var app = AppServices.Build("UseDevelopmentStorage=true", new RecordingPublisher(), settings: new Dictionary<string, string?> { [key] = value });
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.StartsWith(reason, StringComparison.Ordinal));
    }

    private ServiceProvider Build(RecordingPublisher publisher, Func<SmtpEnvelope, Verdict> verdict) =>
        AppServices.Build(azurite.ConnectionString, publisher, new ScriptedEvaluator((envelope, _) => verdict(envelope)), new Dictionary<string, string?>
        {
            ["Ingest:Mailboxes"] = $"{Mailbox}, dmarc-ruf@reports.example",
            ["Dns:ZoneFile"] = RepositoryPaths.Combine("samples", "dns", "demo.zone"), // PTR lookups answered offline
        });

    private static InboundMessageProcessor Processor(IServiceProvider app) => app.GetRequiredService<InboundMessageProcessor>();

    private static ReceivedReportQueryService Query(IServiceProvider app) => app.GetRequiredService<ReceivedReportQueryService>();

    private static string UniqueDomain() => $"d{Guid.NewGuid():N}"[..12] + ".example";

    private static SmtpEnvelope Envelope(params string[] rcptTo) =>
        new(IPAddress.Parse("192.0.2.10"), "mx.reporter.example", "bounce@reporter.example", rcptTo, new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero));

    private static ArcValidationResult Arc(string? spec)
    {
        if (spec is null)
        {
            return ArcValidationResult.NoChain;
        }

        var broken = spec.StartsWith('!');
        var parts = spec.TrimStart('!').Split('|');
        var hops = new[] { new ArcHop(1, "origin.example", "s", "mx.origin.example; dmarc=pass", true, true), new ArcHop(2, parts[0], "s", parts[1], !broken, true) };
        return broken ? new ArcValidationResult(ArcChainStatus.Fail, hops, 2, 1, "ARC-Seal i=2 does not validate") : new ArcValidationResult(ArcChainStatus.Pass, hops, null, 1);
    }

    private async Task<string> UploadAsync(byte[] content, params string[] rcptTo)
    {
        var name = $"report-mail/{Guid.NewGuid():N}.eml";
        var container = new BlobContainerClient(azurite.ConnectionString, ResourceNames.InboundContainer);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        await blob.SetMetadataAsync(InboundMetadata.ToMetadata(Envelope(rcptTo)));
        return name;
    }

    private async Task<List<TableEntity>> RejectionsAsync(string inboundBlob, bool byFileName = false)
    {
        var table = new TableClient(azurite.ConnectionString, "ReceivedRejections");
        var column = byFileName ? "FileName" : "Blob";
        return await table.QueryAsync<TableEntity>($"{column} eq '{inboundBlob}'").ToListAsync();
    }

    /// <summary>A report mail as receivers send them: the aggregate report XML gzipped and attached.</summary>
    private static byte[] ReportMail(string domain, string reportId, (string Ip, int Count, string Disposition, string Dkim, string Spf)[] rows)
    {
        var begin = new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\"?><feedback><report_metadata><org_name>reporter.example</org_name><email>dmarc@reporter.example</email><report_id>{reportId}-{domain}</report_id><date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>");
        xml.Append(CultureInfo.InvariantCulture, $"<policy_published><domain>{domain}</domain><p>reject</p></policy_published>");
        foreach (var (ip, count, disposition, dkim, spf) in rows)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>{disposition}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row><identifiers><header_from>{domain}</header_from></identifiers><auth_results><spf><domain>{domain}</domain><result>{spf}</result></spf></auth_results></record>");
        }

        xml.Append("</feedback>");
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(xml.ToString()));
        }

        return Mail(gz.ToArray(), $"reporter.example!{domain}!{begin}!{begin + 86399}.xml.gz", "application/gzip");
    }

    private static byte[] Mail(byte[] attachment, string fileName, string contentType)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("dmarc@reporter.example"));
        message.To.Add(MailboxAddress.Parse(Mailbox));
        message.Subject = "Report domain: test";
        var body = new BodyBuilder { TextBody = "DMARC aggregate report." };
        body.Attachments.Add(fileName, attachment, ContentType.Parse(contentType));
        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}
