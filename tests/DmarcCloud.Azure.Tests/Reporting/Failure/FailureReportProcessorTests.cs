using System.Collections.Concurrent;
using System.Text;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Azure.Reporting.Failure;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Mime;
using DmarcCloud.Testing;
using MimeKit;

namespace DmarcCloud.Azure.Tests.Reporting.Failure;

/// <summary>
/// Failure reports on Azurite and a real SMTP server: from the queued request to a signed AFRF report in the mailbox,
/// once per request and destination, verified, aggregated and rate-limited, every outcome recorded.
/// </summary>
public sealed class FailureReportProcessorTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly SmtpSink _sink = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private async Task<FailureReportHarness> HarnessAsync(Action<FailureReporterOptions>? configure = null)
    {
        var harness = new FailureReportHarness(azurite.ConnectionString, _sink, configure);
        await harness.InitializeAsync();
        return harness;
    }

    [Fact]
    public async Task A_failing_message_becomes_a_signed_afrf_report_in_the_owners_mailbox()
    {
        using var h = await HarnessAsync();
        var request = await h.RequestAsync("msg-1");

        var result = await h.Processor.ProcessAsync(Encoding.UTF8.GetBytes(request.ToJson()));

        Assert.False(result.DeadLetter, result.Summary);
        Assert.Equal(ReportDeliveryStatus.Sent, Assert.Single(result.Deliveries).Status);
        var mail = Assert.Single(_sink.Messages);
        Assert.Equal("ruf@example.com", mail.To.Mailboxes.Single().Address);
        Assert.Equal("FW: Pay invoice 4711", mail.Subject);
        var report = Assert.IsType<MultipartReport>(mail.Body);
        Assert.Equal("feedback-report", report.ReportType);
        Assert.Equal("text/rfc822-headers", report[2].ContentType.MimeType);
        Assert.DoesNotContain("BODY-TEXT", Text(mail), StringComparison.Ordinal);

        // Signed with the aggregate reports' signer: our own verifier passes it for the From domain.
        var parsed = MessageReader.Parse(Encoding.UTF8.GetBytes(Text(mail)));
        var dkim = Assert.Single(await new DkimVerifier(h.Zone).VerifyAsync(parsed));
        Assert.Equal(DkimResult.Pass, dkim.Result);
        Assert.Equal("receiver.example", dkim.Domain);

        var delivery = await h.Ledger.GetDeliveryAsync(FailureReportProcessor.LedgerId("msg-1"), "ruf@example.com");
        Assert.Equal(ReportDeliveryStatus.Sent, delivery!.Status);
    }

    [Fact]
    public async Task A_redelivered_request_is_not_sent_twice_even_when_delivered_concurrently()
    {
        using var h = await HarnessAsync();
        var body = Encoding.UTF8.GetBytes((await h.RequestAsync("msg-redelivered")).ToJson());

        var first = await h.Processor.ProcessAsync(body);
        var again = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => h.Processor.ProcessAsync(body)));

        Assert.Equal(ReportDeliveryStatus.Sent, Assert.Single(first.Deliveries).Status);
        Assert.All(again, r => Assert.True(Assert.Single(r.Deliveries) is { Status: ReportDeliveryStatus.Sent, Repeated: true }, r.Summary));
        Assert.Single(_sink.Messages);

        // A fresh request delivered concurrently several times also sends once.
        var burst = Encoding.UTF8.GetBytes((await h.RequestAsync("msg-concurrent", ip: "203.0.113.77")).ToJson());
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            try
            {
                return (await h.Processor.ProcessAsync(burst)).Deliveries.Single().Status.ToString();
            }
            catch (InvalidOperationException)
            {
                return "retry"; // another delivery holds the claim: this one would be abandoned and redelivered
            }
        }));
        Assert.Equal(2, _sink.Messages.Count);
        Assert.Contains("Sent", outcomes);
    }

    [Fact]
    public async Task An_unverified_external_ruf_is_refused_and_recorded_with_its_reason()
    {
        using var h = await HarnessAsync();
        var request = await h.RequestAsync("msg-ext", ruf: "mailto:ruf@collector.example,mailto:ruf@vendor.example,https://vendor.example/ruf");

        var result = await h.Processor.ProcessAsync(request);

        var byDestination = result.Deliveries.ToDictionary(d => d.Destination);
        Assert.Equal(ReportDeliveryStatus.Unauthorized, byDestination["ruf@collector.example"].Status);
        Assert.Contains("example.com._report._dmarc.collector.example", byDestination["ruf@collector.example"].Detail, StringComparison.Ordinal);
        Assert.Equal(ReportDeliveryStatus.Sent, byDestination["ruf@vendor.example"].Status);
        Assert.Equal(ReportDeliveryStatus.Unsupported, byDestination["https://vendor.example/ruf"].Status);
        Assert.Equal(["ruf@vendor.example"], _sink.Messages.Select(m => m.To.Mailboxes.Single().Address));
        var recorded = await h.Ledger.GetDeliveryAsync(FailureReportProcessor.LedgerId("msg-ext"), "ruf@collector.example");
        Assert.Equal(ReportDeliveryStatus.Unauthorized, recorded!.Status);
        Assert.Contains("NXDOMAIN", recorded.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_mail_never_triggers_a_failure_report()
    {
        using var h = await HarnessAsync();
        await h.RequestAsync("msg-1");
        await h.Processor.ProcessAsync(await h.RequestAsync("msg-1"));
        var ourReport = Encoding.UTF8.GetBytes(Text(Assert.Single(_sink.Messages)));

        var result = await h.Processor.ProcessAsync(await h.RequestAsync("msg-loop", message: ourReport, ip: "198.51.100.1"));

        Assert.Equal(ReportDeliveryStatus.Skipped, Assert.Single(result.Deliveries).Status);
        Assert.Contains("report mail never triggers", result.Summary, StringComparison.Ordinal);
        Assert.Single(_sink.Messages);
    }

    [Fact]
    public async Task A_permanent_smtp_refusal_is_recorded_and_dead_lettered_and_not_retried()
    {
        using var h = await HarnessAsync();
        var request = await h.RequestAsync("msg-550", ruf: "mailto:reject-ruf@example.com");

        var first = await h.Processor.ProcessAsync(request);
        var second = await h.Processor.ProcessAsync(request);

        Assert.True(first.DeadLetter);
        Assert.Equal(ReportDeliveryStatus.Rejected, Assert.Single(first.Deliveries).Status);
        Assert.True(second.DeadLetter);
        Assert.Single(_sink.RecipientAttempts);
    }

    [Fact]
    public async Task A_burst_of_ten_thousand_failures_for_one_domain_sends_a_bounded_number_and_counts_every_one()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("RUF_BURST"), out var n) ? n : 10_000;
        const int sources = 100;
        using var h = await HarnessAsync(o =>
        {
            o.MaxPerPolicyDomainPerHour = 20;
            o.MaxPerPolicyDomainPerDay = 200;
            o.MaxPerDestinationPerHour = 10;
            o.MaxPerDestinationPerDay = 100;
        });
        var template = await h.RequestAsync("template");
        var outcomes = new ConcurrentBag<FailureReportDeliveryOutcome>();
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            // 100 sources, each failing 100 times: 100 distinct failure conditions.
            var verdict = FailureReportHarness.Verdict("mailto:ruf@example.com", $"203.0.113.{i % sources}");
            var request = new FailureReportRequest($"burst-{i}", template.Blob, ["1"], verdict);
            outcomes.Add(Assert.Single((await h.Processor.ProcessAsync(request, ct)).Deliveries));
        });

        Assert.Equal(total, outcomes.Count);
        var byStatus = outcomes.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(total - sources, byStatus[ReportDeliveryStatus.Aggregated]);  // identical failures: counted, not sent
        Assert.Equal(10, byStatus[ReportDeliveryStatus.Sent]);                      // the tightest limit: 10 per hour per destination
        Assert.Equal(sources - 10, byStatus[ReportDeliveryStatus.Suppressed]);      // the other first-of-a-kind: counted as suppressed
        Assert.Equal(10, _sink.Messages.Count);

        // The counters say the same (visible in the table): 20 granted by the domain limit… no: 10 by the destination limit.
        var now = h.Clock.GetUtcNow();
        var destinationHour = await h.Limiter.ReadAsync(FailureReportLimiter.HourBucket("dest-hour", "ruf@example.com", now));
        var domainHour = await h.Limiter.ReadAsync(FailureReportLimiter.HourBucket("domain-hour", "example.com", now));
        Assert.Equal((10L, 10L), destinationHour);
        Assert.Equal(20L, domainHour.Granted);
        Assert.Equal(80L, domainHour.Denied);

        // After the window: one Incidents summary per condition, still within the limits of the new hour.
        h.Clock.Advance(TimeSpan.FromHours(1));
        var summaries = await h.Processor.FlushAsync();
        Assert.Equal(sources, summaries.Count);
        Assert.Equal(10, summaries.Count(s => s.Status == ReportDeliveryStatus.Sent));
        Assert.Equal(sources - 10, summaries.Count(s => s.Status == ReportDeliveryStatus.Suppressed));
        Assert.Equal(20, _sink.Messages.Count);
        Assert.All(_sink.Messages.Skip(10), m => Assert.Contains($"Incidents: {(total / sources) - 1}", Text(m), StringComparison.Ordinal));
        Assert.Empty(await h.Processor.FlushAsync()); // flushed once
    }

    [Fact]
    public async Task Identical_failures_are_sent_once_then_summarised_with_incidents_after_the_window()
    {
        using var h = await HarnessAsync(o => o.AggregationWindow = TimeSpan.FromMinutes(10));
        var template = await h.RequestAsync("first");
        await h.Processor.ProcessAsync(template);
        for (var i = 0; i < 5; i++)
        {
            var result = await h.Processor.ProcessAsync(template with { RequestId = $"same-{i}" });
            Assert.Equal(ReportDeliveryStatus.Aggregated, Assert.Single(result.Deliveries).Status);
        }

        Assert.Single(_sink.Messages);
        Assert.Empty(await h.Processor.FlushAsync()); // the window is still open
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var flushed = Assert.Single(await h.Processor.FlushAsync());
        Assert.Equal(ReportDeliveryStatus.Sent, flushed.Status);
        Assert.Equal(2, _sink.Messages.Count);
        Assert.Contains("Incidents: 5", Text(_sink.Messages.Last()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unusable_requests_are_dead_lettered_with_the_reason()
    {
        using var h = await HarnessAsync();
        Assert.StartsWith("dead-letter: ", (await h.Processor.ProcessAsync("{\"nope\":1}"u8.ToArray())).Summary, StringComparison.Ordinal);
        Assert.StartsWith("dead-letter: ", (await h.Processor.ProcessAsync("not json"u8.ToArray())).Summary, StringComparison.Ordinal);
        var gone = await h.RequestAsync("msg-gone");
        var result = await h.Processor.ProcessAsync(gone with { Blob = h.Container.Name + "/missing.eml" });
        Assert.True(result.DeadLetter);
        Assert.Contains("gone", result.Summary, StringComparison.Ordinal);
    }

    private static string Text(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
