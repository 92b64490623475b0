using System.Security.Cryptography;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Reporting;
using DmarcCloud.OfflineDns;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace DmarcCloud.Azure.Tests.Reporting;

/// <summary>Report mail as RFC 9990 §2.5 wants it, and DKIM-signed so that it passes DMARC itself.</summary>
public sealed class ReportMessageFactoryTests
{
    private static readonly OutboundReport Report = new(
        "abc123@reporter.example", "policy.example", new DateOnly(2026, 11, 21), "blob", "reporter.example!policy.example!1795219200!1795305599!abc123.xml.gz",
        "dmarc@policy.example", 1, 1);

    private static readonly byte[] Gzip = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static ReporterOptions Options(string? pem) => new()
    {
        OrgName = "Reporter", Email = "dmarc-reports@reporter.example", FromAddress = "dmarc-reports@reporter.example",
        SmtpHost = "127.0.0.1", DkimPrivateKey = pem, DkimSelector = pem is null ? null : "rpt2026",
    };

    private static async Task<(MimeMessage Parsed, DnsZone Zone)> SignedAsync(RSA key)
    {
        var factory = new ReportMessageFactory(Options(key.ExportRSAPrivateKeyPem()), new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T00:05:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        var message = factory.Create(Report, Gzip);
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        var zone = new DnsZone().AddTxt("rpt2026._domainkey.reporter.example", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        return (MessageReader.Parse(stream.ToArray()), zone);
    }

    [Fact]
    public async Task Signed_report_mail_verifies_with_our_dkim_verifier_for_the_from_domain()
    {
        using var key = RSA.Create(2048);
        var (parsed, zone) = await SignedAsync(key);

        var result = Assert.Single(await new DkimVerifier(zone).VerifyAsync(parsed));

        Assert.Equal(DkimResult.Pass, result.Result);
        Assert.Equal("reporter.example", result.Domain);
        Assert.Equal("rpt2026", result.Selector);
    }

    [Fact]
    public async Task A_changed_subject_breaks_the_signature()
    {
        using var key = RSA.Create(2048);
        var (parsed, zone) = await SignedAsync(key);
        parsed.Subject = "Report Domain: other.example Submitter: reporter.example Report-ID: x";

        Assert.Equal(DkimResult.Fail, Assert.Single(await new DkimVerifier(zone).VerifyAsync(parsed)).Result);
    }

    [Fact]
    public void Without_a_key_the_mail_is_unsigned_and_carries_the_report_as_gzip()
    {
        var message = new ReportMessageFactory(Options(null), TimeProvider.System).Create(Report, Gzip);

        Assert.Null(message.Headers[HeaderId.DkimSignature]);
        Assert.Equal("Report Domain: policy.example Submitter: reporter.example Report-ID: abc123@reporter.example", message.Subject);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("application/gzip", attachment.ContentType.MimeType);
        Assert.Equal(Report.FileName, attachment.FileName);
    }
}
