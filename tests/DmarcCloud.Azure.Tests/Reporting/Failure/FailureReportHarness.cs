using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Azure.Reporting.Failure;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Azure.Tests.Reporting.Failure;

/// <summary>
/// The failure report processor over Azurite (inbound blobs, the <c>ReportLedger</c> table with its counters), a DNS
/// zone, a DKIM key and the SMTP sink; each harness in its own table and container.
/// </summary>
internal sealed class FailureReportHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 5, TimeSpan.Zero);

    private readonly RSA _key = RSA.Create(2048);

    public FailureReportHarness(string connectionString, SmtpSink sink, Action<FailureReporterOptions>? configure = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        Reporter = new ReporterOptions
        {
            OrgName = "Example Receiver",
            Email = "dmarc-contact@receiver.example",
            FromAddress = "dmarc-reports@receiver.example",
            SmtpHost = "127.0.0.1",
            SmtpPort = sink.Port,
            SmtpSecurity = SmtpSecurityMode.None,
            MinimumSendInterval = TimeSpan.Zero,
            DkimPrivateKey = _key.ExportRSAPrivateKeyPem(),
            DkimSelector = "ruf2026",
        };
        Options = new FailureReporterOptions();
        configure?.Invoke(Options);
        var validation = new FailureReporterOptionsValidator().Validate(null, Options);
        Assert.True(validation.Succeeded, validation.FailureMessage);

        Clock = new FakeTimeProvider(Start);
        Blobs = new BlobServiceClient(connectionString);
        Container = Blobs.GetBlobContainerClient("inbound-" + suffix);
        var table = new TableClient(connectionString, "ReportLedger" + suffix);
        Ledger = new ReportLedger(table, Clock);
        Limiter = new FailureReportLimiter(table, Clock);
        Zone = new DnsZone()
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; fo=1; ruf=mailto:ruf@example.com")
            .AddTxt("example.com._report._dmarc.vendor.example", "v=DMARC1")
            .AddTxt("ruf2026._domainkey.receiver.example", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()));
        var verifier = new ExternalDestinationVerifier(Zone, new DmarcOrganizationalDomainResolver(Zone));
        Processor = new FailureReportProcessor(Blobs, Ledger, Limiter, verifier, new ReportMessageFactory(Reporter, Clock), new SmtpReportSender(Reporter), Clock, Reporter, Options);
    }

    public ReporterOptions Reporter { get; }

    public FailureReporterOptions Options { get; }

    public FakeTimeProvider Clock { get; }

    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Container { get; }

    public ReportLedger Ledger { get; }

    public FailureReportLimiter Limiter { get; }

    public DnsZone Zone { get; }

    public FailureReportProcessor Processor { get; }

    public async Task InitializeAsync()
    {
        await Container.CreateIfNotExistsAsync();
        await Ledger.CreateIfNotExistsAsync();
    }

    /// <summary>Stores <paramref name="message"/> as an inbound blob and returns the request for its (failing) verdict.</summary>
    public async Task<FailureReportRequest> RequestAsync(string key, string ruf = "mailto:ruf@example.com", string ip = "203.0.113.9", byte[]? message = null, string fo = "1")
    {
        var name = key + ".eml";
        await Container.GetBlobClient(name).UploadAsync(new BinaryData(message ?? Message()), overwrite: true);
        var request = FailureReportRequest.For(key, Container.Name + "/" + name, Verdict(ruf, ip, fo));
        Assert.NotNull(request);
        return request;
    }

    public static Verdict Verdict(string ruf, string ip, string fo = "1")
    {
        var policy = new PublishedPolicy("example.com", $"v=DMARC1; p=reject; fo={fo}; ruf={ruf}", DmarcPolicy.Reject, null, null, AlignmentMode.Relaxed, AlignmentMode.Relaxed,
            false, PsdFlag.Unspecified, null, fo, [], ruf.Split(','), DiscoveryMethod.TreeWalk);
        return new Verdict
        {
            Envelope = new SmtpEnvelope(IPAddress.Parse(ip), "mail.bad.example", "bounce@bad.example", ["alice@receiver.example"], Start.AddSeconds(-3)),
            EvaluatedAt = Start.AddSeconds(-2),
            HeaderFrom = "example.com",
            Spf = new SpfCheckResult(SpfResult.Fail, SpfIdentity.MailFrom, "bad.example", Record: "v=spf1 -all"),
            Dkim = [new DkimSignatureResult(DkimResult.Fail, "example.com", "sel", "rsa-sha256", "signature did not verify")],
            Result = DmarcResult.Fail,
            Policy = policy,
            OrganizationalDomain = "example.com",
            RequestedPolicy = DmarcPolicy.Reject,
            EffectivePolicy = DmarcPolicy.Reject,
            Disposition = Disposition.Reject,
            AuthenticationResults = "Authentication-Results: receiver.example; spf=fail smtp.mailfrom=bad.example; dkim=fail header.d=example.com; dmarc=fail header.from=example.com",
        };
    }

    public static byte[] Message(string subject = "Pay invoice 4711") => Encoding.UTF8.GetBytes(
        "From: Billing <billing@example.com>\r\nTo: Alice <alice@receiver.example>\r\nSubject: " + subject + "\r\n"
        + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\nMessage-ID: <x1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nBODY-TEXT\r\n");

    public void Dispose() => _key.Dispose();
}
