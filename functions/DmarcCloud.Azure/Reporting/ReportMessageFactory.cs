using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Reporting.Failure;
using MimeKit;
using MimeKit.Cryptography;

namespace DmarcCloud.Azure.Reporting;

/// <summary>Builds the report mail: Subject, gzip attachment, From the reporter, DKIM-signed when a key is configured.</summary>
/// <remarks>
/// RFC 9990 §2.5: Subject <c>Report Domain: &lt;domain&gt; Submitter: &lt;reporter&gt; Report-ID: &lt;id&gt;</c>; the report
/// attached as <c>application/gzip</c> with the report filename; report mail should pass DMARC itself (hence DKIM
/// with the From domain). The Message-ID is derived from the Report-ID and destination, so a resend is
/// recognizable as the same message.
/// </remarks>
public sealed class ReportMessageFactory
{
    private static readonly HeaderId[] SignedHeaders =
        [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.MimeVersion, HeaderId.ContentType];

    private readonly ReporterOptions _options;
    private readonly DkimSigner? _signer;
    private readonly TimeProvider _time;

    /// <summary>Creates a factory over validated options.</summary>
    public ReportMessageFactory(ReporterOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _signer = string.IsNullOrWhiteSpace(options.DkimPrivateKey) ? null : CreateSigner(options);
    }

    /// <summary>The DKIM signer for the configured PEM key (RSA, rsa-sha256, relaxed/relaxed).</summary>
    public static DkimSigner CreateSigner(ReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var pem = new MemoryStream(Encoding.ASCII.GetBytes(options.DkimPrivateKey ?? string.Empty));
        var domain = string.IsNullOrWhiteSpace(options.DkimDomain) ? ReporterOptions.DomainOf(options.FromAddress) : options.DkimDomain.Trim().ToLowerInvariant();
        return new DkimSigner(pem, domain, options.DkimSelector ?? string.Empty, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
    }

    /// <summary>The Subject of a report mail.</summary>
    public static string Subject(string policyDomain, string submitter, string reportId) =>
        $"Report Domain: {policyDomain} Submitter: {submitter} Report-ID: {reportId}";

    /// <summary>Builds the message for <paramref name="report"/> with its gzip content.</summary>
    public MimeMessage Create(OutboundReport report, ReadOnlyMemory<byte> gzip)
    {
        ArgumentNullException.ThrowIfNull(report);
        var submitter = _options.EffectiveReporterDomain;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.FromAddress));
        message.To.Add(MailboxAddress.Parse(report.Destination));
        message.Subject = Subject(report.PolicyDomain, submitter, report.ReportId);
        message.Date = _time.GetUtcNow();
        var destinationHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(report.Destination.ToLowerInvariant())))[..16];
        message.MessageId = $"{report.ReportId.Split('@')[0]}.{destinationHash}@{submitter}";

        var text = new TextPart("plain")
        {
            Text = $"This is a DMARC aggregate report for {report.PolicyDomain}, {report.Day:yyyy-MM-dd} (UTC), "
                + $"from {_options.OrgName} ({submitter}).\n"
                + (report.PartCount > 1 ? $"Part {report.Part} of {report.PartCount}.\n" : string.Empty)
                + $"Report-ID: {report.ReportId}\nContact: {_options.Email}\n",
        };
        var attachment = new MimePart("application", "gzip")
        {
            Content = new MimeContent(new MemoryStream(gzip.ToArray())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = report.FileName },
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = report.FileName,
        };
        message.Headers.Add(ReportMailDetector.MarkerHeader, "aggregate");
        message.Body = new Multipart("mixed") { text, attachment };
        return Sign(message);
    }

    /// <summary>DKIM-signs <paramref name="message"/> with the reporter's key (when one is configured), as every report mail is signed.</summary>
    public MimeMessage Sign(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_signer is not null)
        {
            message.Prepare(EncodingConstraint.SevenBit);
            _signer.Sign(message, SignedHeaders);
        }

        return message;
    }
}
