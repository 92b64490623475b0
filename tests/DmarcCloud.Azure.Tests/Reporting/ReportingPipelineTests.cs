using System.Globalization;
using System.Text;
using System.Xml.Linq;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Testing;
using MimeKit;

namespace DmarcCloud.Azure.Tests.Reporting;

/// <summary>
/// The reporting chain on Azurite and a real SMTP server: verdicts → scheduler (timer) → job processor
/// (BuildAggregateReport) → dispatcher (SendReport) → mail received, attachment decompressed, XSD-valid, counts.
/// </summary>
public sealed class ReportingPipelineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private async Task<ReportingHarness> HarnessAsync(Action<ReporterOptions>? configure = null)
    {
        var harness = new ReportingHarness(azurite.ConnectionString, _sink, configure);
        await harness.InitializeAsync();
        return harness;
    }

    [Theory]
    [InlineData(AggregateReportFormat.Rfc9990)]
    [InlineData(AggregateReportFormat.Rfc7489)]
    public async Task Verdicts_of_a_finished_day_arrive_as_valid_report_mail_with_equal_counts(AggregateReportFormat format)
    {
        var h = await HarnessAsync(o => o.Format = format);
        var own = ReportingHarness.Policy("example.com", "mailto:dmarc@example.com");
        var external = ReportingHarness.Policy("ext.example", "mailto:rua@vendor.example!10m", "https://vendor.example/rua");
        for (var i = 0; i < 250; i++)
        {
            await h.SaveAsync(i, own, pass: i % 10 != 0);
        }

        for (var i = 0; i < 40; i++)
        {
            await h.SaveAsync(i, external);
        }

        await h.SaveAsync(999, own, day: ReportingHarness.Day.AddDays(1)); // today: not yet due

        var sent = await h.RunTimerAsync();

        Assert.Equal(2, sent.Count);
        Assert.All(sent, s => Assert.Equal(ReportDispatchOutcome.Sent, s.Result.Outcome));
        Assert.Equal(2, _sink.Messages.Count);
        var byDomain = _sink.Messages.ToDictionary(m => m.To.Mailboxes.Single().Address);
        AssertReportMail(byDomain["dmarc@example.com"], "example.com", 250, format);
        AssertReportMail(byDomain["rua@vendor.example"], "ext.example", 40, format);

        var unsupported = await h.Ledger.ListDeliveriesAsync(sent.Single(s => s.Report.PolicyDomain == "ext.example").Report.ReportId);
        Assert.Contains(unsupported, d => d.Status == ReportDeliveryStatus.Unsupported && d.Destination == "https://vendor.example/rua");
    }

    [Fact]
    public async Task Redelivered_jobs_and_sends_and_a_second_timer_run_send_nothing_twice()
    {
        var h = await HarnessAsync();
        var policy = ReportingHarness.Policy("example.com", "mailto:dmarc@example.com");
        for (var i = 0; i < 30; i++)
        {
            await h.SaveAsync(i, policy);
        }

        var first = await h.RunTimerAsync();
        Assert.Single(first);

        // Timer fires again (or twice): nothing scheduled.
        Assert.Empty(await h.Scheduler.ScheduleAsync());

        // The job message is redelivered: same blobs, same outbound message, and the send is a no-op.
        var rebuilt = await h.Processor.BuildAsync(new AggregateReportJob(ReportingHarness.Day, "example.com"));
        Assert.Equal(first[0].Report, Assert.Single(rebuilt.Outbound));
        Assert.Equal(ReportDispatchOutcome.AlreadySent, (await h.Dispatcher.SendAsync(rebuilt.Outbound[0])).Outcome);
        Assert.Equal(ReportDispatchOutcome.AlreadySent, (await h.Dispatcher.SendAsync(first[0].Report)).Outcome);

        Assert.Single(_sink.Messages);
    }

    [Fact]
    public async Task A_timer_run_that_stops_between_recording_a_job_and_sending_it_loses_nothing()
    {
        var h = await HarnessAsync();
        var policy = ReportingHarness.Policy("example.com", "mailto:dmarc@example.com");
        for (var i = 0; i < 5; i++)
        {
            await h.SaveAsync(i, policy);
        }

        // Run 1 records the job (and moves the watermark) but stops before its message is sent.
        Assert.Single(await h.Scheduler.ScheduleAsync());

        // Run 2 sends it: the report goes out once.
        var second = await h.RunTimerAsync();
        Assert.Equal(ReportDispatchOutcome.Sent, Assert.Single(second).Result.Outcome);
        Assert.Empty(await h.Scheduler.ScheduleAsync());
        Assert.Single(_sink.Messages);
    }

    [Fact]
    public async Task A_timer_run_that_stops_after_sending_a_job_but_before_marking_it_sends_the_report_once()
    {
        var h = await HarnessAsync();
        var policy = ReportingHarness.Policy("example.com", "mailto:dmarc@example.com");
        for (var i = 0; i < 5; i++)
        {
            await h.SaveAsync(i, policy);
        }

        // Run 1 sent the job message but stopped before marking it queued; run 2 sends the same job again.
        var job = Assert.Single(await h.Scheduler.ScheduleAsync());
        var resent = Assert.Single(await h.Scheduler.ScheduleAsync());
        Assert.Equal(job, resent);
        await h.Scheduler.MarkQueuedAsync([resent]);
        Assert.Empty(await h.Scheduler.ScheduleAsync());

        // Same MessageId, so Service Bus drops the second within its duplicate-detection window; beyond it both are
        // handled: the rebuild is identical and the report goes out once.
        var outcomes = new List<ReportDispatchOutcome>();
        foreach (var delivered in new[] { job, resent })
        {
            var built = await h.Processor.BuildAsync(delivered);
            outcomes.Add((await h.Dispatcher.SendAsync(Assert.Single(built.Outbound))).Outcome);
        }

        Assert.Equal([ReportDispatchOutcome.Sent, ReportDispatchOutcome.AlreadySent], outcomes);
        Assert.Single(_sink.Messages);
    }

    [Fact]
    public async Task An_external_destination_without_authorization_gets_no_mail_and_is_recorded()
    {
        var h = await HarnessAsync();
        var policy = ReportingHarness.Policy("example.com", "mailto:dmarc@example.com", "mailto:dmarc@stranger.example", "mailto:x@wild-vendor.example");
        await h.SaveAsync(1, policy);

        var sent = await h.RunTimerAsync();

        Assert.Equal(["dmarc@example.com", "x@wild-vendor.example"], sent.Select(s => s.Report.Destination).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_sink.RecipientAttempts, a => a.EndsWith("stranger.example", StringComparison.Ordinal));
        var record = await h.Ledger.GetDeliveryAsync(sent[0].Report.ReportId, "dmarc@stranger.example");
        Assert.NotNull(record);
        Assert.Equal(ReportDeliveryStatus.Unauthorized, record.Status);
        Assert.Contains("example.com._report._dmarc.stranger.example", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dns_failure_checking_a_destination_defers_the_job_instead_of_refusing()
    {
        var h = await HarnessAsync();
        h.Zone.AddTemporaryFailure("example.com._report._dmarc.flaky.example");
        await h.SaveAsync(1, ReportingHarness.Policy("example.com", "mailto:dmarc@flaky.example"));

        var job = Assert.Single(await h.Scheduler.ScheduleAsync());
        await Assert.ThrowsAsync<DestinationCheckDeferredException>(() => h.Processor.BuildAsync(job));
        Assert.Empty(_sink.Messages);
    }

    [Fact]
    public async Task An_oversize_report_arrives_as_several_valid_parts_with_every_message_counted()
    {
        var h = await HarnessAsync(o => o.MaxReportBytes = ReporterOptionsValidator.MinimumReportBytes);
        var policy = ReportingHarness.Policy("example.com", "mailto:dmarc@example.com");
        for (var i = 0; i < 300; i++)
        {
            await h.SaveAsync(i, policy, ip: $"2a00:1450:4001:{i:x}::1");
        }

        var sent = await h.RunTimerAsync();

        Assert.True(sent.Count > 1, $"expected several parts, got {sent.Count}");
        Assert.Equal(sent.Count, _sink.Messages.Count);
        long total = 0;
        foreach (var message in _sink.Messages)
        {
            var (xml, _) = Attachment(message);
            Assert.True(xml.Length <= ReporterOptionsValidator.MinimumReportBytes * 40); // decompressed, sanity
            total += Counts(xml);
        }

        Assert.Equal(300, total);
        Assert.Equal(sent.Count, _sink.Messages.Select(m => m.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Missed_timer_runs_are_caught_up_day_by_day()
    {
        var h = await HarnessAsync();
        var policy = ReportingHarness.Policy("example.com", "mailto:dmarc@example.com");
        var d1 = ReportingHarness.Day;
        foreach (var day in new[] { d1, d1.AddDays(1), d1.AddDays(2) })
        {
            await h.SaveAsync(day.DayNumber, policy, day: day);
        }

        // The clock starts just after midnight ending d1.
        Assert.Equal([d1], (await h.RunTimerAsync()).Select(s => s.Report.Day));

        // The next two midnights were missed; the run after them reports both days.
        h.Clock.SetUtcNow(new DateTimeOffset(d1.AddDays(3).ToDateTime(new TimeOnly(7, 30)), TimeSpan.Zero));
        Assert.Equal([d1.AddDays(1), d1.AddDays(2)], (await h.RunTimerAsync()).Select(s => s.Report.Day));
        Assert.Equal(d1.AddDays(2), await h.Ledger.GetWatermarkAsync());
        Assert.Equal(3, _sink.Messages.Count);
    }

    [Fact]
    public async Task A_permanent_refusal_is_recorded_and_never_retried_against_the_relay()
    {
        var h = await HarnessAsync();
        await h.SaveAsync(1, ReportingHarness.Policy("example.com", "mailto:reject-me@example.com"));

        var (report, result) = Assert.Single(await h.RunTimerAsync());
        Assert.Equal(ReportDispatchOutcome.Rejected, result.Outcome);
        Assert.StartsWith("550", result.Detail, StringComparison.Ordinal);

        var again = await h.Dispatcher.SendAsync(report);
        Assert.Equal(ReportDispatchOutcome.Rejected, again.Outcome);
        Assert.Single(_sink.RecipientAttempts);
        Assert.Equal(ReportDeliveryStatus.Rejected, (await h.Ledger.GetDeliveryAsync(report.ReportId, report.Destination))!.Status);
    }

    [Fact]
    public async Task A_transient_refusal_throws_and_releases_the_claim_for_a_retry()
    {
        var h = await HarnessAsync();
        await h.SaveAsync(1, ReportingHarness.Policy("example.com", "mailto:tempfail@example.com"));
        var job = Assert.Single(await h.Scheduler.ScheduleAsync());
        var outbound = Assert.Single((await h.Processor.BuildAsync(job)).Outbound);

        await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() => h.Dispatcher.SendAsync(outbound));
        Assert.Null(await h.Ledger.GetDeliveryAsync(outbound.ReportId, outbound.Destination));
        await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() => h.Dispatcher.SendAsync(outbound));
        Assert.Equal(2, _sink.RecipientAttempts.Count);
    }

    [Fact]
    public async Task An_unreachable_relay_throws_so_the_message_is_redelivered()
    {
        var h = await HarnessAsync(o => o.SmtpPort = FreePort());
        await h.SaveAsync(1, ReportingHarness.Policy("example.com", "mailto:dmarc@example.com"));
        var job = Assert.Single(await h.Scheduler.ScheduleAsync());
        var outbound = Assert.Single((await h.Processor.BuildAsync(job)).Outbound);

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => h.Dispatcher.SendAsync(outbound));
        Assert.Null(await h.Ledger.GetDeliveryAsync(outbound.ReportId, outbound.Destination));
    }

    [Fact]
    public async Task Sends_to_one_destination_domain_are_paced()
    {
        var h = await HarnessAsync(o => o.MinimumSendInterval = TimeSpan.FromMilliseconds(700));
        var a = ReportingHarness.Policy("a.example", "mailto:rua-a@vendor.example");
        var b = ReportingHarness.Policy("b.example", "mailto:rua-b@vendor.example");
        h.Zone.AddTxt("a.example._report._dmarc.vendor.example", "v=DMARC1").AddTxt("b.example._report._dmarc.vendor.example", "v=DMARC1");
        await h.SaveAsync(1, a);
        await h.SaveAsync(2, b);

        var sent = await h.RunTimerAsync();

        Assert.Equal(2, sent.Count);
        var accepted = _sink.ConnectedAt.Order().ToList();
        Assert.Equal(2, accepted.Count);
        Assert.True(accepted[1] - accepted[0] >= TimeSpan.FromMilliseconds(600), $"second send {(accepted[1] - accepted[0]).TotalMilliseconds} ms after the first");
    }

    private static void AssertReportMail(MimeMessage message, string policyDomain, long expectedCount, AggregateReportFormat format)
    {
        var (xml, attachment) = Attachment(message);
        Assert.Equal("application/gzip", attachment.ContentType.MimeType);
        Assert.Equal("dmarc-reports@receiver.example", message.From.Mailboxes.Single().Address);
        var validation = AggregateReportSchemaValidator.CreateDefault().Validate(xml);
        Assert.True(validation.IsValid(format), string.Join("\n", validation.Rfc9990Errors.Concat(validation.Rfc7489Errors)));
        Assert.Equal(expectedCount, Counts(xml));

        var reportId = XDocument.Parse(Encoding.UTF8.GetString(xml)).Descendants().Single(e => e.Name.LocalName == "report_id").Value;
        Assert.Equal($"Report Domain: {policyDomain} Submitter: receiver.example Report-ID: {reportId}", message.Subject);
        Assert.Equal($"receiver.example!{policyDomain}!1795132800!1795219199!{reportId.Split('@')[0]}.xml.gz", attachment.FileName);
    }

    private static (byte[] Xml, MimePart Attachment) Attachment(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single();
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return (DeterministicGzip.Decompress(content.ToArray()), part);
    }

    private static long Counts(byte[] xml) =>
        XDocument.Parse(Encoding.UTF8.GetString(xml)).Descendants().Where(e => e.Name.LocalName == "count").Sum(e => long.Parse(e.Value, CultureInfo.InvariantCulture));

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
