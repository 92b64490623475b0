using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>Reads failure reports from a parsed mail: RFC 6591 AFRF first, the plain-text variants best-effort.</summary>
/// <remarks>
/// RFC 5965 §2: the report is <c>multipart/report</c> with a human-readable part, a <c>message/feedback-report</c>
/// part (header-field syntax) and the original message or its headers (<c>message/rfc822</c> or
/// <c>text/rfc822-headers</c>). Real reporters deviate (NetEase: <c>multipart/mixed</c>, base64 feedback part), so
/// the feedback part is looked for anywhere in the mail, whatever encloses it.
/// </remarks>
public static partial class FailureReportParser
{
    private const int MaxFieldLength = 4096;

    /// <summary>Whether <paramref name="message"/> carries a <c>message/feedback-report</c> part.</summary>
    public static bool HasFeedbackPart(MimeMessage message) => FindFeedbackPart(message) is not null;

    /// <summary>Reads the ARF report of <paramref name="message"/>, or null when it has no feedback part.</summary>
    public static FailureReport? ParseArf(MimeMessage message, ReportIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var part = FindFeedbackPart(message);
        if (part is null)
        {
            return null;
        }

        var warnings = new WarningList(options.MaxWarnings);
        var fields = ReadFields(part, warnings);
        string? One(string name) => fields.TryGetValue(name, out var values) ? values[0] : null;
        IReadOnlyList<string> All(string name) => fields.TryGetValue(name, out var values) ? values : [];

        if (part.ContentType.MediaType != "message" || part.ContentType.MediaSubtype != "feedback-report")
        {
            warnings.Add("feedback part has an unexpected content type");
        }

        if (message.Body is not Multipart { ContentType.MimeType: "multipart/report" })
        {
            warnings.Add($"the report is {message.Body?.ContentType.MimeType ?? "(no body)"}, not multipart/report");
        }

        var original = FindOriginalHeaders(message);
        var reported = One("reported-domain")?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(reported))
        {
            reported = DomainOf(original?.From) ?? DomainOf(One("original-mail-from"));
            warnings.Add(reported is null ? "no Reported-Domain and no original From domain" : "no Reported-Domain; taken from the original message");
        }

        // "148.163.85.135 (sainay.example.org)": a comment after the address is common.
        var sourceIp = One("source-ip")?.Split([' ', '\t', '('], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (sourceIp is not null && IPAddress.TryParse(sourceIp, out var ip))
        {
            sourceIp = ip.ToString();
        }
        else if (sourceIp is not null)
        {
            warnings.Add($"Source-IP '{ReportText.Truncate(sourceIp)}' is not an IP address");
        }

        var feedbackType = One("feedback-type")?.Trim().ToLowerInvariant();
        if (feedbackType is null)
        {
            warnings.Add("no Feedback-Type");
        }

        return new FailureReport
        {
            Format = "arf",
            FeedbackType = feedbackType,
            UserAgent = One("user-agent"),
            Version = One("version"),
            ReportedDomain = reported,
            SourceIp = sourceIp,
            AuthFailure = One("auth-failure")?.Trim().ToLowerInvariant(),
            ArrivalDate = Date(One("arrival-date") ?? One("received-date")),
            OriginalMailFrom = One("original-mail-from"),
            OriginalRcptTo = All("original-rcpt-to"),
            OriginalEnvelopeId = One("original-envelope-id"),
            ReportingMta = One("reporting-mta"),
            DeliveryResult = One("delivery-result")?.ToLowerInvariant(),
            IdentityAlignment = One("identity-alignment")?.ToLowerInvariant(),
            DkimDomain = One("dkim-domain"),
            DkimIdentity = One("dkim-identity"),
            DkimSelector = One("dkim-selector"),
            SpfDns = One("spf-dns"),
            Incidents = long.TryParse(One("incidents"), NumberStyles.None, CultureInfo.InvariantCulture, out var incidents) ? incidents : null,
            AuthenticationResults = All("authentication-results"),
            OriginalFrom = original?.From,
            OriginalTo = original?.To,
            OriginalSubject = original?.Subject,
            OriginalMessageId = original?.MessageId,
            ReporterFrom = message.From.Mailboxes.FirstOrDefault()?.Address,
            ReportDate = message.Headers.Contains(HeaderId.Date) ? message.Date.ToUnixTimeSeconds() : null,
            Warnings = warnings.ToList(),
        };
    }

    /// <summary>
    /// Reads a non-ARF plain-text failure report (no feedback part) best-effort, or null when the mail does not look
    /// like one: its subject or text must speak of a DMARC failure/forensic report and name a source IP.
    /// </summary>
    public static FailureReport? ParseText(MimeMessage message, ReportIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var subject = message.Subject ?? string.Empty;
        var plain = message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsPlain);
        if (!FailureSubject().IsMatch(subject) && (plain is null || !HeadMaySpeakOfFailure(plain)))
        {
            return null; // checked on the decoded head of the text, without building it as a string (most mails stop here)
        }

        var text = plain?.Text ?? string.Empty;
        if (text.Length > 256 * 1024)
        {
            text = text[..(256 * 1024)];
        }

        var speaksOfFailure = FailureSubject().IsMatch(subject) || FailureSubject().IsMatch(text.Length > 2000 ? text[..2000] : text);
        if (!speaksOfFailure)
        {
            return null;
        }

        var warnings = new WarningList(options.MaxWarnings);
        warnings.Add("no message/feedback-report part: read best-effort from plain text");
        var labelled = LabelledLines(text);
        string? Labelled(params string[] labels)
        {
            foreach (var label in labels)
            {
                if (labelled.TryGetValue(label, out var value))
                {
                    return value;
                }
            }

            return null;
        }

        var ipText = Labelled("Sender IP Address", "Source IP", "Source-IP", "Sender IP", "IP Address");
        var subjectMatch = SubjectIp().Match(subject);
        ipText ??= subjectMatch.Success ? subjectMatch.Groups["ip"].Value : null;
        string? sourceIp = null;
        if (ipText is not null && IPAddress.TryParse(ipText.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out var ip))
        {
            sourceIp = ip.ToString();
        }

        if (sourceIp is null)
        {
            return null;
        }

        var domain = Labelled("Sender Domain", "Reported Domain", "Reported-Domain", "Domain")?.ToLowerInvariant().TrimEnd('.');
        var subjectDomain = SubjectDomain().Match(subject);
        domain ??= subjectDomain.Success ? subjectDomain.Groups["d"].Value.ToLowerInvariant() : null;
        var originalFrom = Labelled("From");
        domain ??= DomainOf(originalFrom);

        return new FailureReport
        {
            Format = "text",
            FeedbackType = "auth-failure",
            ReportedDomain = domain,
            SourceIp = sourceIp,
            AuthFailure = "dmarc",
            ArrivalDate = Date(Labelled("Received date", "Arrival-Date", "Arrival Date")),
            OriginalMailFrom = Labelled("envelope-from", "Envelope From", "Mail From"),
            OriginalFrom = originalFrom,
            OriginalSubject = Labelled("Subject"),
            OriginalMessageId = Labelled("Message-Id", "Message-ID"),
            AuthenticationResults = Labelled("Authentication-Results") is { } ar ? [ar] : [],
            ReporterFrom = message.From.Mailboxes.FirstOrDefault()?.Address,
            ReportDate = message.Headers.Contains(HeaderId.Date) ? message.Date.ToUnixTimeSeconds() : null,
            Warnings = warnings.ToList(),
        };
    }

    /// <summary>The labels <see cref="ParseText"/> reads from a plain-text report, as they are written there.</summary>
    private static readonly string[] TextLabels =
    [
        "Sender IP Address", "Source IP", "Source-IP", "Sender IP", "IP Address", "Sender Domain", "Reported Domain",
        "Reported-Domain", "Domain", "From", "Received date", "Arrival-Date", "Arrival Date", "envelope-from",
        "Envelope From", "Mail From", "Subject", "Message-Id", "Message-ID", "Authentication-Results",
    ];

    /// <summary>
    /// The first value of each of <see cref="TextLabels"/> in <paramref name="text"/>, in one pass over its lines: a line
    /// <c>label: value</c> (spaces or tabs around the label and the colon, label compared ignoring case, value trimmed and
    /// not empty before trimming). Linear in the text, no regular expression, so no time-out to run into.
    /// </summary>
    private static Dictionary<string, string> LabelledLines(string text)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = text.AsSpan();
        while (!rest.IsEmpty && found.Count < TextLabels.Length)
        {
            var end = rest.IndexOfAny('\r', '\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            var colon = line.IndexOf(':');
            if (colon < 0 || line.Length == colon + 1)
            {
                continue;
            }

            var label = line[..colon].Trim(" \t");
            foreach (var known in TextLabels)
            {
                if (label.Equals(known, StringComparison.OrdinalIgnoreCase))
                {
                    found.TryAdd(known, line[(colon + 1)..].Trim().ToString());
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Whether the first characters of <paramref name="part"/>'s text may speak of a failure report: the head of the
    /// decoded content (16 KiB, at least the 2,000 characters <see cref="ParseText"/> looks at in any charset) read into
    /// pooled buffers and decoded with the part's charset, UTF-8 and Latin-1 (what <see cref="TextPart.Text"/> may use),
    /// so that a mail of a few bytes costs no string, reader or decoder of its own. A superset of the check in
    /// <see cref="ParseText"/>: a match in the first 2,000 characters is a match in a longer head.
    /// </summary>
    private static bool HeadMaySpeakOfFailure(TextPart part)
    {
        if (part.Content is null)
        {
            return false;
        }

        const int HeadBytes = 16 * 1024;
        var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(HeadBytes);
        try
        {
            var head = new MemoryStream(bytes, 0, HeadBytes, writable: true);
            MimeContentDecoder.DecodeTo(part.Content, head, HeadBytes);
            var length = (int)head.Position;
            foreach (var encoding in (ReadOnlySpan<Encoding?>)[part.ContentType.CharsetEncoding, Encoding.UTF8, Encoding.Latin1])
            {
                if (encoding is null)
                {
                    continue;
                }

                var chars = System.Buffers.ArrayPool<char>.Shared.Rent(encoding.GetMaxCharCount(length));
                try
                {
                    var count = encoding.GetChars(bytes.AsSpan(0, length), chars);
                    if (FailureSubject().IsMatch(chars.AsSpan(0, count)))
                    {
                        return true;
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<char>.Shared.Return(chars);
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is FormatException or IOException or DecoderFallbackException or NotSupportedException)
        {
            return true; // unreadable here: let the full path decide
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static MimeEntity? FindFeedbackPart(MimeMessage message)
    {
        foreach (var entity in message.BodyParts)
        {
            var type = entity.ContentType;
            if (type.MediaSubtype.Equals("feedback-report", StringComparison.OrdinalIgnoreCase))
            {
                return entity;
            }
        }

        return null;
    }

    private static Dictionary<string, List<string>> ReadFields(MimeEntity part, WarningList warnings)
    {
        using var buffer = new MemoryStream();
        switch (part)
        {
            case MimePart mime:
                mime.Content?.DecodeTo(buffer);
                break;
            case MessagePart { Message: { } inner }:
                // MimeKit parsed the feedback fields as a message: its headers are the fields.
                var parsed = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
                foreach (var header in inner.Headers)
                {
                    Add(parsed, header.Field, header.Value);
                }

                return parsed;
        }

        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, 256 * 1024));
        var fields = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        var value = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && line[0] is ' ' or '\t' && name is not null)
            {
                value.Append(' ').Append(line.Trim());
                continue;
            }

            if (name is not null)
            {
                Add(fields, name, value.ToString());
                name = null;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                name = line[..colon].Trim();
                value.Clear().Append(line[(colon + 1)..].Trim());
            }
            else if (line.Trim().Length > 0)
            {
                warnings.Add("a line of the feedback part is not a field and was ignored");
            }
        }

        if (name is not null)
        {
            Add(fields, name, value.ToString());
        }

        return fields;
    }

    private static void Add(Dictionary<string, List<string>> fields, string name, string value)
    {
        value = value.Trim();
        if (value.Length > MaxFieldLength)
        {
            value = value[..MaxFieldLength];
        }

        if (!fields.TryGetValue(name, out var list))
        {
            fields[name] = list = [];
        }

        if (list.Count < 100)
        {
            list.Add(value);
        }
    }

    private static OriginalHeaders? FindOriginalHeaders(MimeMessage message)
    {
        foreach (var entity in message.BodyParts)
        {
            if (entity is MessagePart { Message: { } original } && !entity.ContentType.MediaSubtype.Equals("feedback-report", StringComparison.OrdinalIgnoreCase))
            {
                return new OriginalHeaders(original.Headers[HeaderId.From], original.Headers[HeaderId.To], original.Subject, original.Headers[HeaderId.MessageId]);
            }

            if (entity is MimePart part && entity.ContentType.MediaSubtype.Equals("rfc822-headers", StringComparison.OrdinalIgnoreCase))
            {
                using var buffer = new MemoryStream();
                part.Content?.DecodeTo(buffer);
                buffer.Position = 0;
                try
                {
                    var headers = HeaderList.Load(buffer);
                    return new OriginalHeaders(headers[HeaderId.From], headers[HeaderId.To], headers[HeaderId.Subject], headers[HeaderId.MessageId]);
                }
                catch (FormatException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    private static string? DomainOf(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var text = address.Trim().Trim('<', '>', ' ');
        if (MailboxAddress.TryParse(text, out var mailbox) && mailbox.Domain.Length > 0)
        {
            return mailbox.Domain.ToLowerInvariant();
        }

        var at = text.LastIndexOf('@');
        return at >= 0 && at < text.Length - 1 ? text[(at + 1)..].Trim('>', ' ').ToLowerInvariant() : null;
    }

    private static long? Date(string? text) =>
        text is not null && DateUtils.TryParse(text, out var date) ? date.ToUnixTimeSeconds() : null;

    [GeneratedRegex(@"(dmarc|dkim|spf)[^\r\n]{0,40}(failure|forensic|fail)[^\r\n]{0,10}report|report[^\r\n]{0,20}(dmarc|authentication)[^\r\n]{0,20}fail", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex FailureSubject();

    [GeneratedRegex(@"\bip[ =:]+(?<ip>[0-9a-fA-F.:]+)", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex SubjectIp();

    [GeneratedRegex(@"report for (domain )?(?<d>[a-z0-9.-]+\.[a-z]{2,})", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex SubjectDomain();

    private sealed record OriginalHeaders(string? From, string? To, string? Subject, string? MessageId);
}
