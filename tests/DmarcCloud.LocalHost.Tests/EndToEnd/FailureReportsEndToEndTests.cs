using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DmarcCloud.Azure;
using MimeKit;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// The two functions the other end-to-end tests leave out, through the real host: <c>Health</c> over HTTP, and
/// <c>SendFailureReports</c> (its timer is idle in the shared stack so that the aggregate tests count only aggregate
/// mail; here it is run through the admin API): failing samples → failure incidents on the local Service Bus →
/// RFC 9991 / RFC 6591 reports at the domain's <c>ruf</c> in the SMTP sink.
/// </summary>
[Collection(ProductStackCollection.Name)]
public class FailureReportsEndToEndTests(ProductStack stack)
{
    private const string Ruf = "dmarc-ruf@sender.example";

    [Fact]
    public async Task Health_answers_over_http()
    {
        using var health = await stack.Http.GetAsync(new Uri(stack.Host.BaseAddress, "api/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Running_the_failure_report_drain_mails_afrf_reports_for_the_failing_samples_to_the_ruf_address()
    {
        var submitted = await stack.SubmitSamplesAsync(DateOnly.FromDateTime(DateTime.UtcNow));
        await stack.WaitUntilAsync(
            async () => (await stack.RowsAsync(ResourceNames.VerdictsTable)).Count(r => submitted.ContainsKey(r.GetString("MessageKey") ?? "")) >= submitted.Count,
            $"{submitted.Count} verdict rows");
        var before = stack.Smtp.Messages.Count;

        using var runNow = await stack.Http.PostAsJsonAsync(new Uri(stack.Host.BaseAddress, "admin/functions/SendFailureReports"), new { input = "" });
        var body = await runNow.Content.ReadAsStringAsync();
        Assert.True(runNow.StatusCode == HttpStatusCode.Accepted && JsonDocument.Parse(body).RootElement.GetProperty("succeeded").GetBoolean(), $"{(int)runNow.StatusCode} {body}\n{stack.LogTail()}");

        await stack.WaitUntilAsync(() => Task.FromResult(FailureMails(before).Count > 0), $"a failure report at {Ruf}");
        await WaitUntilQuietAsync(); // the drain has finished: the aggregate tests that follow count only their own mail

        var mails = FailureMails(before);
        Assert.All(stack.Smtp.Messages.Skip(before), m => Assert.Equal(Ruf, m.To.Mailboxes.Single().Address));
        foreach (var mail in mails)
        {
            var report = Assert.IsType<MultipartReport>(mail.Body);
            Assert.Equal("feedback-report", report.ReportType);
            var feedback = report.OfType<MimePart>().Single(p => p.ContentType.IsMimeType("message", "feedback-report"));
            using var text = new MemoryStream();
            feedback.Content!.DecodeTo(text);
            var fields = System.Text.Encoding.UTF8.GetString(text.ToArray());
            Assert.Contains("Feedback-Type: auth-failure", fields, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Reported-Domain: sender.example", fields, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("FW: ", mail.Subject, StringComparison.Ordinal);
        }
    }

    private List<MimeMessage> FailureMails(int before) =>
        [.. stack.Smtp.Messages.Skip(before).Where(m => m.To.Mailboxes.Any(a => a.Address == Ruf))];

    private async Task WaitUntilQuietAsync()
    {
        var count = -1;
        var stableSince = DateTime.UtcNow;
        await stack.WaitUntilAsync(
            () =>
            {
                var now = stack.Smtp.Messages.Count;
                if (now != count)
                {
                    count = now;
                    stableSince = DateTime.UtcNow;
                }

                return Task.FromResult(DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(6));
            },
            "the SMTP sink to stay quiet for 6 s");
    }
}
