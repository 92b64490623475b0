using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using DmarcCloud.Azure;
using DmarcCloud.Core.Reporting;
using MimeKit;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// Aggregate reporting through the real app: samples received yesterday → admin "run now" of
/// ScheduleAggregateReports → aggregate-jobs on the local Service Bus → BuildAggregateReport (timer drain) →
/// outbound-reports → SendReport (timer drain) → SMTP sink; XSD-valid reports whose counts equal the stored verdicts.
/// </summary>
[Collection(ProductStackCollection.Name)]
public class ReportingEndToEndTests(ProductStack stack)
{
    [Fact]
    public async Task The_report_timer_sends_one_valid_report_per_domain_with_the_stored_counts_and_nothing_twice()
    {
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var submitted = await stack.SubmitSamplesAsync(yesterday);
        await stack.WaitUntilAsync(
            async () => (await stack.RowsAsync(ResourceNames.VerdictsTable)).Count(r => submitted.ContainsKey(r.GetString("MessageKey") ?? "")) >= submitted.Count,
            $"{submitted.Count} verdict rows for yesterday");

        var dayKey = yesterday.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var expected = (await stack.RowsAsync(ResourceNames.VerdictsTable))
            .Select(r => r.PartitionKey.Split('|'))
            .Where(p => p[0] == dayKey && p[1] != "(none)")
            .GroupBy(p => p[1])
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        Assert.Equal(["news.example", "sender.example"], expected.Keys.Order(StringComparer.Ordinal));
        var before = stack.Smtp.Messages.Count;

        using var runNow = await stack.Http.PostAsJsonAsync(new Uri(stack.Host.BaseAddress, "admin/functions/ScheduleAggregateReports"), new { input = "" });
        var body = await runNow.Content.ReadAsStringAsync();
        Assert.True(runNow.StatusCode == HttpStatusCode.Accepted && JsonDocument.Parse(body).RootElement.GetProperty("succeeded").GetBoolean(), $"{(int)runNow.StatusCode} {body}\n{stack.LogTail()}");

        await stack.WaitUntilAsync(() => Task.FromResult(stack.Smtp.Messages.Count - before >= 2), "2 report mails at the SMTP sink");
        using var again = await stack.Http.PostAsJsonAsync(new Uri(stack.Host.BaseAddress, "admin/functions/ScheduleAggregateReports"), new { input = "" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(6)); // three drain ticks: nothing more may arrive
        var mails = stack.Smtp.Messages.Skip(before).ToList();
        Assert.Equal(2, mails.Count);

        var byRecipient = mails.ToDictionary(m => m.To.Mailboxes.Single().Address, StringComparer.Ordinal);
        Assert.Equal(["dmarc-rua@sender.example", "dmarc@news.example"], byRecipient.Keys.Order(StringComparer.Ordinal));
        AssertReport(byRecipient["dmarc-rua@sender.example"], "sender.example", expected["sender.example"], yesterday);
        AssertReport(byRecipient["dmarc@news.example"], "news.example", expected["news.example"], yesterday);
    }

    private static void AssertReport(MimeMessage message, string policyDomain, long expectedCount, DateOnly day)
    {
        var part = message.Attachments.OfType<MimePart>().Single();
        using var compressed = new MemoryStream();
        part.Content!.DecodeTo(compressed);
        var xml = DeterministicGzip.Decompress(compressed.ToArray());

        var validation = AggregateReportSchemaValidator.CreateDefault().Validate(xml);
        Assert.True(validation.IsValidRfc9990, string.Join("\n", validation.Rfc9990Errors));

        var document = XDocument.Parse(Encoding.UTF8.GetString(xml));
        string Single(string name) => document.Descendants().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal(policyDomain, document.Descendants().Single(e => e.Name.LocalName == "policy_published").Elements().Single(e => e.Name.LocalName == "domain").Value);
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(begin.ToString(CultureInfo.InvariantCulture), Single("begin"));
        var counts = document.Descendants().Where(e => e.Name.LocalName == "count").Sum(e => long.Parse(e.Value, CultureInfo.InvariantCulture));
        Assert.Equal(expectedCount, counts);
    }
}
