using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Core.Evaluation;
using MimeKit;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// Received reports over real HTTP through the local Functions host and the real app: the upload door, every
/// read API (domains, summary, sources, reporters, report list, one report, raw download), a bad upload, and report
/// mail through the inbound path (evaluated with the demo zone, then ingested or refused).
/// </summary>
[Collection(ProductStackCollection.Name)]
public class ReceivedReportsEndToEndTests(ProductStack stack)
{
    /// <summary>The report mailbox the stack configures (<c>Ingest__Mailboxes</c>).</summary>
    public const string ReportMailbox = "dmarc-reports@reports.test";

    private static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);

    [Fact]
    public async Task An_uploaded_report_is_read_back_over_http_with_its_figures_and_a_second_upload_changes_nothing()
    {
        var domain = UniqueDomain();
        var xml = ReportXml("google.com", "up-1", domain,
        [
            ("192.0.2.1", 40, "none", "pass", "pass"),
            ("198.51.100.7", 7, "quarantine", "fail", "pass"),
            ("203.0.113.9", 3, "reject", "fail", "fail"),
            ("192.0.2.1", 10, "none", "pass", "fail"),
        ]);

        var (status, upload) = await PostAsync("api/received/upload?name=google.xml", xml);

        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {upload}\n{stack.LogTail()}");
        var item = upload.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("stored", item.GetProperty("outcome").GetString());
        Assert.Equal(domain, item.GetProperty("domain").GetString());
        var key = item.GetProperty("reportKey").GetString()!;

        Assert.Contains(domain, (await GetAsync("api/received/domains")).EnumerateArray().Select(d => d.GetProperty("domain").GetString()));
        var window = $"?days=15&to={Day.AddDays(2):yyyy-MM-dd}";
        var summary = await GetAsync($"api/received/domains/{domain}/summary{window}");
        AssertSummary(summary, messages: 60, compliant: 57, quarantined: 7, rejected: 3);
        Assert.Equal(47, summary.GetProperty("spfPass").GetInt64());
        Assert.Equal(13, summary.GetProperty("spfFail").GetInt64());
        Assert.Equal(50, summary.GetProperty("dkimPass").GetInt64());
        Assert.Equal(10, summary.GetProperty("dkimFail").GetInt64());
        Assert.Equal(1, summary.GetProperty("totalReporters").GetInt32());
        var daily = summary.GetProperty("daily").EnumerateArray().ToList();
        Assert.Equal(15, daily.Count);
        Assert.Equal(60, daily.Single(d => d.GetProperty("day").GetString() == Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).GetProperty("messages").GetInt64());

        var sources = (await GetAsync($"api/received/domains/{domain}/sources{window}")).EnumerateArray().ToList();
        Assert.Equal(["192.0.2.1", "198.51.100.7", "203.0.113.9"], sources.Select(s => s.GetProperty("ip").GetString()));
        Assert.Equal([50L, 7L, 3L], sources.Select(s => s.GetProperty("messages").GetInt64()));
        Assert.Equal(0.8, sources[0].GetProperty("spfAlignedPassRate").GetDouble());
        Assert.Equal(1.0, sources[0].GetProperty("dkimAlignedPassRate").GetDouble());

        var reporter = (await GetAsync($"api/received/domains/{domain}/reporters{window}")).EnumerateArray().Single();
        Assert.Equal("google.com", reporter.GetProperty("orgName").GetString());
        Assert.Equal(1, reporter.GetProperty("reports").GetInt32());
        Assert.Equal(60, reporter.GetProperty("messages").GetInt64());

        var listed = (await GetAsync($"api/received/domains/{domain}/reports{window}")).EnumerateArray().Single();
        Assert.Equal(key, listed.GetProperty("key").GetString());
        Assert.Equal($"up-1-{domain}", listed.GetProperty("reportId").GetString());
        Assert.Equal(4, listed.GetProperty("records").GetInt64());

        var report = await GetAsync($"api/received/domains/{domain}/reports/{key}");
        Assert.Equal(4, report.GetProperty("report").GetProperty("records").GetArrayLength());
        Assert.Equal(domain, report.GetProperty("report").GetProperty("policyPublished").GetProperty("domain").GetString());
        using var raw = await stack.Http.GetAsync(new Uri(stack.Host.BaseAddress, $"api/received/domains/{domain}/reports/{key}/raw"));
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal(xml, await raw.Content.ReadAsByteArrayAsync());

        var (againStatus, again) = await PostAsync("api/received/upload?name=google-again.xml", xml);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal("duplicate", again.GetProperty("items").EnumerateArray().Single().GetProperty("outcome").GetString());
        AssertSummary(await GetAsync($"api/received/domains/{domain}/summary{window}"), messages: 60, compliant: 57, quarantined: 7, rejected: 3);
    }

    [Fact]
    public async Task A_bad_upload_is_400_with_its_reason_and_recorded()
    {
        var name = $"broken-{Guid.NewGuid():N}.xml";
        var body = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>x</org_name>");

        var (status, result) = await PostAsync($"api/received/upload?name={name}", body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {result}");
        var reason = result.GetProperty("items").EnumerateArray().Single().GetProperty("reason").GetString();
        Assert.False(string.IsNullOrWhiteSpace(reason));
        var recorded = (await stack.RowsAsync("ReceivedRejections")).Single(r => r.GetString("FileName") == name);
        Assert.Equal("upload", recorded.GetString("Source"));
        Assert.Equal(reason, recorded.GetString("Reason"));

        using var empty = await stack.Http.PostAsync(new Uri(stack.Host.BaseAddress, "api/received/upload?name=empty.xml"), new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("the file is empty", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_mail_to_the_report_mailbox_is_ingested_when_its_dmarc_passes_and_refused_with_its_reason_when_it_fails()
    {
        // sender.example (demo zone: SPF ip4:192.0.2.0/25 -all, p=reject) reports about two customer domains.
        var accepted = UniqueDomain();
        var forged = UniqueDomain();
        var passing = await SubmitAsync(ReportMail(accepted, "mail-1"), IPAddress.Parse("192.0.2.25"));
        var failing = await SubmitAsync(ReportMail(forged, "mail-2"), IPAddress.Parse("198.51.100.70"));

        await stack.WaitUntilAsync(async () => (await DomainsAsync()).Contains(accepted), $"{accepted} in GET /api/received/domains");
        await stack.WaitUntilAsync(
            async () => (await stack.RowsAsync("ReceivedRejections")).Any(r => r.GetString("Blob") == failing),
            $"the refusal of {failing} in ReceivedRejections");

        var summary = await GetAsync($"api/received/domains/{accepted}/summary?to={Day.AddDays(2):yyyy-MM-dd}");
        AssertSummary(summary, messages: 12, compliant: 10, quarantined: 0, rejected: 2);
        var refusal = (await stack.RowsAsync("ReceivedRejections")).Single(r => r.GetString("Blob") == failing);
        Assert.Equal("mail", refusal.GetString("Source"));
        Assert.StartsWith("refused report mail: DMARC fail for From domain sender.example", refusal.GetString("Reason"), StringComparison.Ordinal);
        Assert.DoesNotContain(forged, await DomainsAsync());
        Assert.DoesNotContain(await stack.RowsAsync("ReceivedRejections"), r => r.GetString("Blob") == passing);
    }

    private static void AssertSummary(JsonElement summary, long messages, long compliant, long quarantined, long rejected)
    {
        Assert.Equal(messages, summary.GetProperty("messages").GetInt64());
        Assert.Equal(compliant, summary.GetProperty("compliant").GetInt64());
        Assert.Equal(quarantined, summary.GetProperty("quarantined").GetInt64());
        Assert.Equal(rejected, summary.GetProperty("rejected").GetInt64());
        Assert.Equal(1, summary.GetProperty("totalReports").GetInt32());
    }

    private static string UniqueDomain() => $"r{Guid.NewGuid():N}"[..12] + ".example";

    private async Task<List<string?>> DomainsAsync() =>
        [.. (await GetAsync("api/received/domains")).EnumerateArray().Select(d => d.GetProperty("domain").GetString())];

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await stack.Http.GetAsync(new Uri(stack.Host.BaseAddress, path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}\n{stack.LogTail()}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var response = await stack.Http.PostAsync(new Uri(stack.Host.BaseAddress, path), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Writes the mail to <c>inbound</c> with its envelope, as the gateway does; returns <c>inbound/name</c>.</summary>
    private async Task<string> SubmitAsync(byte[] mail, IPAddress clientIp)
    {
        var container = new BlobContainerClient(stack.Storage, InboundMetadata.Container);
        await container.CreateIfNotExistsAsync();
        var envelope = new SmtpEnvelope(clientIp, "mail.sender.example", "reports@sender.example", [ReportMailbox], DateTimeOffset.UtcNow);
        var blob = container.GetBlobClient($"report-mail/{Guid.NewGuid():N}.eml");
        await blob.UploadAsync(BinaryData.FromBytes(mail), new BlobUploadOptions
        {
            Metadata = InboundMetadata.ToMetadata(envelope),
            HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
        });
        return $"{InboundMetadata.Container}/{blob.Name}";
    }

    private static byte[] ReportMail(string domain, string reportId)
    {
        var xml = ReportXml("sender.example", reportId, domain, [("192.0.2.1", 10, "none", "pass", "pass"), ("203.0.113.9", 2, "reject", "fail", "fail")]);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("dmarc@sender.example"));
        message.To.Add(MailboxAddress.Parse(ReportMailbox));
        message.Subject = $"Report Domain: {domain} Submitter: sender.example Report-ID: {reportId}";
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = $"{Guid.NewGuid():N}@sender.example";
        var body = new BodyBuilder { TextBody = "DMARC aggregate report." };
        body.Attachments.Add($"sender.example!{domain}!{reportId}.xml", xml, ContentType.Parse("text/xml"));
        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    private static byte[] ReportXml(string org, string reportId, string domain, (string Ip, int Count, string Disposition, string Dkim, string Spf)[] rows)
    {
        var begin = new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><version>1.0</version><report_metadata><org_name>{org}</org_name><email>noreply-dmarc@{org}</email><report_id>{reportId}-{domain}</report_id><date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>");
        xml.Append(CultureInfo.InvariantCulture, $"<policy_published><domain>{domain}</domain><p>reject</p><sp>reject</sp></policy_published>");
        foreach (var (ip, count, disposition, dkim, spf) in rows)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>{disposition}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row><identifiers><header_from>{domain}</header_from></identifiers><auth_results><spf><domain>{domain}</domain><result>{spf}</result></spf></auth_results></record>");
        }

        xml.Append("</feedback>\n");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }
}
