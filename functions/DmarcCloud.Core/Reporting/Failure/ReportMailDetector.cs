using MimeKit;

namespace DmarcCloud.Core.Reporting.Failure;

/// <summary>Recognises report mail, ours or anyone's, so that a report never triggers a failure report (no loops).</summary>
/// <remarks>
/// RFC 9991 §5.1: "Unaligned reports may in turn produce subsequent failure reports that could cause mail loops."
/// A message is report mail when its top-level type is <c>multipart/report</c> (RFC 6522: feedback, delivery status,
/// disposition notifications) or <c>message/feedback-report</c>, when it carries DmarcCloud's own
/// <see cref="MarkerHeader"/>, or when it is an RFC 9990 aggregate report (Subject <c>Report Domain: … Report-ID: …</c>).
/// </remarks>
public static class ReportMailDetector
{
    /// <summary>The header field DmarcCloud puts on every report it sends (value <c>aggregate</c> or <c>failure</c>).</summary>
    public const string MarkerHeader = "X-DmarcCloud-Report";

    /// <summary>Why <paramref name="message"/> is report mail, or null when it is not.</summary>
    public static string? ReasonIsReport(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Headers.Contains(MarkerHeader))
        {
            return $"carries {MarkerHeader} (DmarcCloud report mail)";
        }

        var type = message.Body?.ContentType;
        if (type is not null && type.IsMimeType("multipart", "report"))
        {
            return $"is multipart/report (report-type={type.Parameters["report-type"] ?? "?"})";
        }

        if (type is not null && type.IsMimeType("message", "feedback-report"))
        {
            return "is message/feedback-report";
        }

        var subject = message.Subject ?? string.Empty;
        if (subject.StartsWith("Report Domain:", StringComparison.OrdinalIgnoreCase) && subject.Contains("Report-ID:", StringComparison.OrdinalIgnoreCase))
        {
            return "is an aggregate report (RFC 9990 Subject)";
        }

        return null;
    }
}
