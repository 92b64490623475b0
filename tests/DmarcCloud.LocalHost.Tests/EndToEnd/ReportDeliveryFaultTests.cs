using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Reporting;
using DmarcCloud.LocalServiceBus.Configuration;
using DmarcCloud.Testing;
using MimeKit;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// Report delivery faults through the real app on the whole local stack: aggregate jobs put on <c>aggregate-jobs</c>
/// → BuildAggregateReport (timer drain) → <c>outbound-reports</c> → SendReport (timer drain) → the SMTP sink, while
/// the sink refuses. A report the relay keeps refusing is dead-lettered by Service Bus after the queue's
/// MaxDeliveryCount, with its reason; a relay that refuses for a while and comes back gets each report exactly once.
/// </summary>
/// <remarks>
/// Each test uses its own day long past (so ScheduleAggregateReports, which the reporting test runs for yesterday,
/// never schedules these days) and sends the jobs itself, as the scheduler would: <c>{"day","policyDomain"}</c>
/// with MessageId <c>day/domain</c>.
/// </remarks>
[Collection(ProductStackCollection.Name)]
public class ReportDeliveryFaultTests(ProductStack stack)
{
    private const string NewsRua = "dmarc@news.example";
    private const string SenderRua = "dmarc-rua@sender.example";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_report_the_relay_keeps_refusing_is_dead_lettered_after_max_delivery_count_with_its_reason_and_nothing_is_sent_twice()
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-20);
        var maxDeliveries = (await QueueConfigFile.LoadAsync(RepositoryPaths.Combine("functions", "DmarcCloud.LocalServiceBus", "queues.json")))
            .Single(q => q.Name == ResourceNames.OutboundReportsQueue).MaxDeliveryCount;
        await SubmitAndWaitForVerdictsAsync(day);
        var attemptsBefore = Attempts(NewsRua);
        var mailsBefore = stack.Smtp.Messages.Count;

        stack.Smtp.RecipientReply = address => address == NewsRua ? "451 4.7.1 Greylisted, try again later" : null;
        try
        {
            await SendJobsAsync(day, "news.example", "sender.example");
            await stack.WaitUntilAsync(async () => (await DeadLetteredReportsAsync(day)).Count > 0, "the refused report in outbound-reports/$DeadLetterQueue", Patience);
            await Task.Delay(TimeSpan.FromSeconds(8)); // four drain ticks: no further attempt may follow
        }
        finally
        {
            stack.Smtp.RecipientReply = null;
        }

        var dead = Assert.Single(await DeadLetteredReportsAsync(day));
        var report = ReadReport(dead);
        Assert.Equal((NewsRua, "news.example"), (report.Destination, report.PolicyDomain));
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.Equal($"Message could not be consumed after {maxDeliveries} delivery attempts.", dead.DeadLetterErrorDescription);
        var fault = Assert.IsType<string>(dead.ApplicationProperties[ServiceBusDrain.LastFaultProperty]);
        Assert.Contains("Greylisted", fault, StringComparison.Ordinal);

        // One SMTP attempt per delivery, none after the dead-letter; the refused report was never accepted.
        Assert.Equal(maxDeliveries, Attempts(NewsRua) - attemptsBefore);
        var ledger = new ReportLedger(new TableClient(stack.Storage, ReportLedger.TableName), TimeProvider.System);
        Assert.Null(await ledger.GetDeliveryAsync(report.ReportId, report.Destination)); // the claim was released each time

        // The other domain's report went out exactly once.
        var mails = MailsFor(day, stack.Smtp.Messages.Skip(mailsBefore));
        var mail = Assert.Single(mails);
        Assert.Equal(SenderRua, mail.To.Mailboxes.Single().Address);
        Assert.Equal(0, stack.Broker.GetCounts(ResourceNames.AggregateJobsQueue).DeadLettered);
    }

    [Fact]
    public async Task A_relay_that_refuses_sessions_then_recipients_and_comes_back_gets_each_report_exactly_once()
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-21);
        await SubmitAndWaitForVerdictsAsync(day);
        var mailsBefore = stack.Smtp.Messages.Count;
        var before = new Dictionary<string, (int Attempts, int Refused)>
        {
            [NewsRua] = (Attempts(NewsRua), Refused(NewsRua)),
            [SenderRua] = (Attempts(SenderRua), Refused(SenderRua)),
        };
        var sessionsBefore = stack.Smtp.RefusedSessions;

        // Phase 1: the relay refuses every session (421 at the greeting, as a relay that is shutting down does).
        stack.Smtp.RefuseSessionsWith = "421 4.3.2 Service not available, closing transmission channel";
        try
        {
            await SendJobsAsync(day, "news.example", "sender.example");
            await stack.WaitUntilAsync(() => Task.FromResult(stack.Smtp.RefusedSessions - sessionsBefore >= 4), "4 refused SMTP sessions", Patience);
        }
        finally
        {
            stack.Smtp.RefuseSessionsWith = null;
        }

        // Phase 2: sessions are accepted but every recipient is refused for now (451).
        stack.Smtp.RecipientReply = _ => "451 4.3.0 Mailbox temporarily unavailable";
        try
        {
            await stack.WaitUntilAsync(
                () => Task.FromResult(before.All(b => Refused(b.Key) > b.Value.Refused)),
                "a 451 for each report's recipient",
                Patience);
        }
        finally
        {
            stack.Smtp.RecipientReply = null;
        }

        // Phase 3: the relay is back.
        await stack.WaitUntilAsync(() => Task.FromResult(MailsFor(day, stack.Smtp.Messages.Skip(mailsBefore)).Count >= 2), "both reports delivered", Patience);
        await Task.Delay(TimeSpan.FromSeconds(8)); // four drain ticks: nothing more may arrive

        var mails = MailsFor(day, stack.Smtp.Messages.Skip(mailsBefore));
        Assert.Equal(new[] { NewsRua, SenderRua }.Order(StringComparer.Ordinal), mails.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.Equal(2, mails.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count());
        Assert.True(stack.Smtp.RefusedSessions - sessionsBefore >= 4);
        foreach (var (address, (attempts, refused)) in before)
        {
            // Every RCPT after the relay came back: the refused ones, then exactly one accepted.
            Assert.Equal(Refused(address) - refused + 1, Attempts(address) - attempts);
        }

        Assert.Empty(await DeadLetteredReportsAsync(day));
        Assert.Equal(0, stack.Broker.GetCounts(ResourceNames.OutboundReportsQueue).Active);
        var ledger = new ReportLedger(new TableClient(stack.Storage, ReportLedger.TableName), TimeProvider.System);
        foreach (var mail in mails)
        {
            var subject = mail.Subject ?? "";
            var reportId = subject[(subject.IndexOf("Report-ID: ", StringComparison.Ordinal) + "Report-ID: ".Length)..].Trim();
            var delivery = await ledger.GetDeliveryAsync(reportId, mail.To.Mailboxes.Single().Address);
            Assert.Equal(ReportDeliveryStatus.Sent, delivery?.Status);
        }
    }

    private int Attempts(string address) => stack.Smtp.RecipientAttempts.Count(a => a == address);

    private int Refused(string address) => stack.Smtp.RefusedRecipients.Count(a => a == address);

    private async Task SubmitAndWaitForVerdictsAsync(DateOnly day)
    {
        var submitted = await stack.SubmitSamplesAsync(day);
        await stack.WaitUntilAsync(
            async () => (await stack.RowsAsync(ResourceNames.VerdictsTable)).Count(r => submitted.ContainsKey(r.GetString("MessageKey") ?? "")) >= submitted.Count,
            $"{submitted.Count} verdict rows for {day:yyyy-MM-dd}");
    }

    /// <summary>Sends the jobs as ScheduleAggregateReports does (same body, same MessageId).</summary>
    private async Task SendJobsAsync(DateOnly day, params string[] policyDomains)
    {
        await using var sender = stack.ServiceBus.CreateSender(ResourceNames.AggregateJobsQueue);
        foreach (var domain in policyDomains)
        {
            var job = new AggregateReportJob(day, domain);
            await sender.SendMessageAsync(ServiceBusPublisher.CreateJsonMessage(job, ReportingJsonContext.Default.AggregateReportJob, $"{day:yyyy-MM-dd}/{domain}"));
        }
    }

    private async Task<List<ServiceBusReceivedMessage>> AllDeadLetteredAsync()
    {
        await using var receiver = stack.ServiceBus.CreateReceiver(ResourceNames.OutboundReportsQueue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var all = new List<ServiceBusReceivedMessage>();
        long? from = null;
        while (true)
        {
            var batch = await receiver.PeekMessagesAsync(100, from);
            if (batch.Count == 0)
            {
                return all;
            }

            all.AddRange(batch);
            from = batch[^1].SequenceNumber + 1;
        }
    }

    private async Task<List<ServiceBusReceivedMessage>> DeadLetteredReportsAsync(DateOnly day) =>
        [.. (await AllDeadLetteredAsync()).Where(m => ReadReport(m).Day == day)];

    private static OutboundReport ReadReport(ServiceBusReceivedMessage message) =>
        JsonSerializer.Deserialize(message.Body.ToMemory().Span, ReportingJsonContext.Default.OutboundReport)!;

    /// <summary>The report mails of <paramref name="day"/>: their attachment is named receiver!domain!begin!end (RFC 9990 §2.5).</summary>
    private static List<MimeMessage> MailsFor(DateOnly day, IEnumerable<MimeMessage> mails)
    {
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return [.. mails.Where(m => m.Attachments.OfType<MimePart>().Any(p => p.FileName?.Contains($"!{begin}!", StringComparison.Ordinal) == true))];
    }
}
