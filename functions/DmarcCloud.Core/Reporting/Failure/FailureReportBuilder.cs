using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Spf;
using MimeKit;
using MimeKit.Utils;

namespace DmarcCloud.Core.Reporting.Failure;

/// <summary>Builds the failure report for one destination: an AFRF message, redacted and within the size cap.</summary>
/// <remarks>
/// RFC 5965 §2 (<c>multipart/report; report-type=feedback-report</c>: a human-readable part, a
/// <c>message/feedback-report</c> part, the original message or its header fields), RFC 6591 §3 (<c>Feedback-Type:
/// auth-failure</c>, <c>Auth-Failure</c>, <c>DKIM-*</c>, <c>SPF-DNS</c>, <c>Delivery-Result</c>), RFC 9991 §4
/// (<c>Identity-Alignment</c> REQUIRED; <c>Auth-Failure: dmarc</c>; DKIM-Domain/Identity/Selector for DKIM failures;
/// SPF-DNS for SPF failures; Appendix A: Subject <c>FW: &lt;original subject&gt;</c>, and the third part is
/// <c>text/rfc822-headers</c> when the body is not included), RFC 6590 (local-parts redacted). The report is pure data:
/// signing and sending are the caller's.
/// </remarks>
public sealed class FailureReportBuilder
{
    /// <summary>The header fields that carry recipient addresses.</summary>
    private static readonly HashSet<string> RecipientFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Rcpt-To", "Apparently-To",
    };

    /// <summary>The header fields that carry sender addresses.</summary>
    private static readonly HashSet<string> SenderFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "Reply-To", "Return-Path", "Resent-From", "Resent-Sender", "Errors-To",
    };

    private readonly FailureReportContentOptions _options;
    private readonly TimeProvider _time;
    private readonly LocalPartRedactor _redactor;

    /// <summary>Creates a builder.</summary>
    public FailureReportBuilder(FailureReportContentOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _redactor = new LocalPartRedactor(string.IsNullOrEmpty(options.RedactionKey) ? "dmarccloud-redaction:" + options.ReporterDomain : options.RedactionKey);
    }

    /// <summary>The redactor in use (same key as the reports).</summary>
    public LocalPartRedactor Redactor => _redactor;

    /// <summary>The size cap for <paramref name="destination"/>: the operator's cap, lowered by a published <c>!size</c>.</summary>
    public long CapFor(ReportDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.MaxSizeBytes is long published && published > 0 ? Math.Min(published, _options.MaxReportBytes) : _options.MaxReportBytes;
    }

    /// <summary>Builds the report of <paramref name="input"/> for <paramref name="destination"/>.</summary>
    public FailureReport Build(FailureReportInput input, ReportDestination destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(destination);
        var verdict = input.Verdict;
        var pristine = MessageReader.Parse(input.OriginalMessage);
        var failedSignature = PickDkimSignature(verdict);
        var authFailure = AuthFailureOf(input.Fired, failedSignature);
        var feedback = FeedbackFields(input, pristine, failedSignature, authFailure);

        var cap = CapFor(destination);
        var notes = new List<string>();
        var includeBody = _options.IncludeBody;
        var headerLimit = int.MaxValue;
        while (true)
        {
            var original = MessageReader.Parse(input.OriginalMessage);
            Redact(original);
            var message = Compose(input, destination, original, feedback, includeBody, headerLimit, authFailure, notes);
            var size = SizeOf(message);
            if (size <= cap)
            {
                return new FailureReport(destination.Address, message, authFailure, includeBody, size, notes.ToArray());
            }

            if (includeBody)
            {
                includeBody = false;
                notes.Add($"the message body was left out: the report would be {size} bytes, over the {cap}-byte cap");
                continue;
            }

            if (headerLimit > 0)
            {
                // Header fields alone are too large: keep fewer, then none.
                headerLimit = headerLimit == int.MaxValue ? Math.Max(0, HeaderCount(original) / 2) : headerLimit / 2;
                notes.RemoveAll(n => n.StartsWith("header fields", StringComparison.Ordinal));
                notes.Add($"header fields cut to the first {headerLimit}: the report would be {size} bytes, over the {cap}-byte cap");
                continue;
            }

            return new FailureReport(destination.Address, message, authFailure, false, size, notes.ToArray());
        }
    }

    /// <summary>The report as RFC 5322 text (CRLF line ends), as it would be sent.</summary>
    public static string ToText(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static long SizeOf(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, stream);
        return stream.Length;
    }

    private static int HeaderCount(MimeMessage message) => DkimHasher.AllHeaders(message).Count;

    private MimeMessage Compose(
        FailureReportInput input, ReportDestination destination, MimeMessage original, string feedback, bool includeBody, int headerLimit, string authFailure, List<string> notes)
    {
        var verdict = input.Verdict;
        var now = _time.GetUtcNow();
        var report = new MimeMessage();
        report.From.Add(MailboxAddress.Parse(_options.FromAddress));
        report.To.Add(MailboxAddress.Parse(destination.Address));
        report.Date = now;
        var subject = original.Subject;
        report.Subject = "FW: " + (string.IsNullOrWhiteSpace(subject) ? $"(no subject) DMARC failure report for {ReportedDomain(verdict)}" : subject.Trim());
        report.MessageId = MessageIdOf(input, destination);
        report.Headers.Add(ReportMailDetector.MarkerHeader, "failure");
        report.Headers.Add("Auto-Submitted", "auto-generated"); // RFC 3834: no auto-replies to reports

        var human = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"This is an authentication failure report for an email message received from IP {verdict.Envelope.ClientIp} on {DateUtils.FormatDate(verdict.Envelope.ReceivedAt)}.\r\n")
            .Append(CultureInfo.InvariantCulture, $"Reported domain: {ReportedDomain(verdict)}; DMARC result: {RfcName.Of(verdict.Result)}; failure: {authFailure}; fo options that fired: {FailureReportOptionsSyntax.Format(input.Fired)}.\r\n");
        if (input.Incidents > 1)
        {
            human.Append(CultureInfo.InvariantCulture, $"This report stands for {input.Incidents} identical failures (same source, same authentication results) seen within the aggregation window.\r\n");
        }

        human.Append(includeBody ? "The original message follows.\r\n" : "The header fields of the original message follow; the body is not included.\r\n");
        if (_options.RedactRecipientLocalParts || _options.RedactSenderLocalParts)
        {
            human.Append("Local-parts of mail addresses were redacted (RFC 6590).\r\n");
        }

        foreach (var note in notes)
        {
            human.Append("Note: ").Append(note).Append(".\r\n");
        }

        var report6591 = new MimePart("message", "feedback-report")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(feedback))),
            ContentTransferEncoding = ContentEncoding.SevenBit,
        };

        MimeEntity third;
        if (includeBody)
        {
            third = new MessagePart("rfc822") { Message = original };
        }
        else
        {
            third = new MimePart("text", "rfc822-headers")
            {
                Content = new MimeContent(new MemoryStream(HeaderBlock(original, headerLimit))),
                ContentTransferEncoding = ContentEncoding.SevenBit,
            };
        }

        var body = new MultipartReport("feedback-report")
        {
            new TextPart("plain") { Text = human.ToString() },
            report6591,
            third,
        };
        report.Body = body;
        return report;
    }

    private static byte[] HeaderBlock(MimeMessage message, int limit)
    {
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        foreach (var header in DkimHasher.AllHeaders(message).Take(limit))
        {
            var raw = new byte[header.RawField.Length + 1 + header.RawValue.Length];
            header.RawField.CopyTo(raw, 0);
            raw[header.RawField.Length] = (byte)':';
            header.RawValue.CopyTo(raw, header.RawField.Length + 1);
            stream.Write(raw);
            if (raw.Length < 2 || raw[^1] != (byte)'\n')
            {
                stream.Write("\r\n"u8);
            }
        }

        return stream.ToArray();
    }

    private string FeedbackFields(FailureReportInput input, MimeMessage pristine, DkimSignatureResult? signature, string authFailure)
    {
        var verdict = input.Verdict;
        var fields = new StringBuilder();
        void Field(string name, string value) => fields.Append(name).Append(": ").Append(value).Append("\r\n");

        // RFC 5965 §3.1: Feedback-Type, User-Agent, Version first.
        Field("Feedback-Type", "auth-failure");
        Field("User-Agent", _options.UserAgent);
        Field("Version", "1");
        Field("Auth-Failure", authFailure);
        Field("Identity-Alignment", IdentityAlignment(verdict));
        Field("Reported-Domain", ReportedDomain(verdict));
        Field("Source-IP", verdict.Envelope.ClientIp.ToString());
        Field("Arrival-Date", DateUtils.FormatDate(verdict.Envelope.ReceivedAt));
        Field("Reporting-MTA", "dns; " + _options.ReporterDomain);
        Field("Original-Mail-From", "<" + (string.IsNullOrEmpty(verdict.Envelope.MailFrom) ? string.Empty : SenderAddress(verdict.Envelope.MailFrom)) + ">");
        foreach (var rcpt in verdict.Envelope.RcptTo)
        {
            Field("Original-Rcpt-To", "<" + (_options.RedactRecipientLocalParts ? _redactor.RedactAddress(rcpt) : rcpt) + ">");
        }

        if (input.Incidents > 1)
        {
            Field("Incidents", input.Incidents.ToString(CultureInfo.InvariantCulture));
        }

        Field("Delivery-Result", verdict.Disposition switch
        {
            Disposition.Reject => "reject",
            Disposition.Quarantine => "spam",
            _ => "delivered",
        });
        if (AuthenticationResultsValue(verdict.AuthenticationResults) is { Length: > 0 } ar)
        {
            Field("Authentication-Results", FoldAt(ar, "; "));
        }

        if (signature is not null)
        {
            Field("DKIM-Domain", signature.Domain);
            Field("DKIM-Identity", string.IsNullOrEmpty(signature.Identity) ? "@" + signature.Domain : RedactSenderIdentity(signature.Identity));
            Field("DKIM-Selector", signature.Selector);
            if ((_options.IncludeDkimCanonicalizedHeader || _options.IncludeDkimCanonicalizedBody) && FindSignature(pristine, signature) is var (header, parsed))
            {
                if (_options.IncludeDkimCanonicalizedHeader)
                {
                    var data = DkimHasher.SignedHeaderData(parsed.SignedHeaders, header, parsed.HeaderCanonicalization, DkimHasher.AllHeaders(pristine));
                    Field("DKIM-Canonicalized-Header", FoldBase64(Convert.ToBase64String(data)));
                }

                if (_options.IncludeDkimCanonicalizedBody)
                {
                    var body = CanonicalBody(pristine, parsed);
                    Field("DKIM-Canonicalized-Body", FoldBase64(Convert.ToBase64String(body)));
                }
            }
        }

        if (verdict.Spf is { Result: not SpfResult.Pass } spf && spf.Record is { } record)
        {
            Field("SPF-DNS", $"txt : {spf.Domain} : {record}");
        }

        return fields.ToString();
    }

    private static byte[] CanonicalBody(MimeMessage message, DkimSignature signature)
    {
        byte[] body;
        using (var stream = new MemoryStream())
        {
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            message.Body?.WriteTo(format, stream, contentOnly: true);
            body = stream.ToArray();
        }

        var canonical = DkimHasher.CanonicalizeBody(body, signature.BodyCanonicalization == DkimCanonicalization.Relaxed);
        return signature.BodyLength is long l && l < canonical.Length ? canonical[..(int)l] : canonical;
    }

    private static (Header Header, DkimSignature Parsed)? FindSignature(MimeMessage message, DkimSignatureResult result)
    {
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var parsed = DkimSignature.Parse(Encoding.Latin1.GetString(header.RawValue));
            if (parsed.Value is { } s
                && s.Domain.Equals(result.Domain, StringComparison.OrdinalIgnoreCase)
                && s.Selector.Equals(result.Selector, StringComparison.OrdinalIgnoreCase)
                && (result.SignatureBPrefix is null || s.SignatureBase64.StartsWith(result.SignatureBPrefix, StringComparison.Ordinal)))
            {
                return (header, s);
            }
        }

        return null;
    }

    /// <summary>A failed signature to describe: aligned ones first (RFC 9991 §4: REQUIRED for DKIM failures of an aligned identifier).</summary>
    private static DkimSignatureResult? PickDkimSignature(Verdict verdict) =>
        verdict.Dkim.Where(FailureReportTriggers.IsFailedSignature).OrderBy(d => IsAligned(verdict, d.Domain) ? 0 : 1).FirstOrDefault();

    private static bool IsAligned(Verdict verdict, string domain)
    {
        var d = domain.TrimEnd('.').ToLowerInvariant();
        var from = verdict.HeaderFrom?.ToLowerInvariant();
        if (from is null)
        {
            return false;
        }

        if (d == from)
        {
            return true;
        }

        var org = verdict.OrganizationalDomain?.ToLowerInvariant();
        return verdict.Policy?.Adkim != AlignmentMode.Strict && org is not null && (d == org || d.EndsWith("." + org, StringComparison.Ordinal));
    }

    private static string AuthFailureOf(FailureReportOptions fired, DkimSignatureResult? signature)
    {
        if (fired.HasFlag(FailureReportOptions.AllFail) || fired.HasFlag(FailureReportOptions.AnyFail))
        {
            return "dmarc";
        }

        if (fired.HasFlag(FailureReportOptions.DkimFail) && signature is not null)
        {
            var reason = signature.Reason ?? string.Empty;
            return reason.Contains("body hash", StringComparison.OrdinalIgnoreCase) ? "bodyhash"
                : reason.Contains("revoked", StringComparison.OrdinalIgnoreCase) ? "revoked"
                : "signature";
        }

        return fired.HasFlag(FailureReportOptions.SpfFail) ? "spf" : "dmarc";
    }

    /// <summary>RFC 9991 §4: the mechanisms that failed to authenticate an aligned identity, or <c>none</c>.</summary>
    private static string IdentityAlignment(Verdict verdict)
    {
        var failed = new List<string>(2);
        if (!verdict.DkimAligned)
        {
            failed.Add("dkim");
        }

        if (!verdict.SpfAligned)
        {
            failed.Add("spf");
        }

        return failed.Count == 0 ? "none" : string.Join(", ", failed);
    }

    private static string ReportedDomain(Verdict verdict) => verdict.HeaderFrom ?? verdict.Policy?.Domain ?? "unknown";

    private string SenderAddress(string address) => _options.RedactSenderLocalParts ? _redactor.RedactAddress(address) : address;

    private string RedactSenderIdentity(string identity) => _options.RedactSenderLocalParts && identity.IndexOf('@', StringComparison.Ordinal) > 0 ? _redactor.RedactAddress(identity) : identity;

    private void Redact(MimeMessage message)
    {
        foreach (var header in DkimHasher.AllHeaders(message))
        {
            var recipient = RecipientFields.Contains(header.Field);
            var sender = SenderFields.Contains(header.Field);
            var received = header.Id == HeaderId.Received;
            if ((recipient && _options.RedactRecipientLocalParts) || (sender && _options.RedactSenderLocalParts))
            {
                header.Value = RedactAddressList(header.Value);
            }
            else if (received && _options.RedactRecipientLocalParts)
            {
                header.Value = _redactor.RedactText(header.Value);
            }
        }

        if ((_options.RedactRecipientLocalParts || _options.RedactSenderLocalParts) && message.Subject is { } subject)
        {
            message.Subject = _redactor.RedactText(subject);
        }
    }

    /// <summary>An address list with every local-part replaced and display names dropped (they are often the person's name).</summary>
    private string RedactAddressList(string value)
    {
        if (!InternetAddressList.TryParse(value, out var list) || list.Count == 0)
        {
            return _redactor.RedactText(value);
        }

        var redacted = new InternetAddressList();
        foreach (var mailbox in list.Mailboxes)
        {
            redacted.Add(new MailboxAddress(string.Empty, _redactor.RedactAddress(mailbox.Address)));
        }

        return redacted.Count == 0 ? _redactor.RedactText(value) : redacted.ToString();
    }

    private string MessageIdOf(FailureReportInput input, ReportDestination destination)
    {
        var seed = $"{input.RequestId}\n{destination.Address.ToLowerInvariant()}\n{input.Incidents}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 12));
        return $"ruf.{hash}@{_options.ReporterDomain}";
    }

    private static string AuthenticationResultsValue(string header)
    {
        var value = header.StartsWith("Authentication-Results:", StringComparison.OrdinalIgnoreCase) ? header["Authentication-Results:".Length..] : header;
        return string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Trim();
    }

    private static string FoldAt(string value, string separator) => value.Replace(separator, separator.TrimEnd() + "\r\n\t", StringComparison.Ordinal);

    private static string FoldBase64(string base64)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < base64.Length; i += 72)
        {
            if (i > 0)
            {
                sb.Append("\r\n\t");
            }

            sb.Append(base64.AsSpan(i, Math.Min(72, base64.Length - i)));
        }

        return sb.ToString();
    }
}
