using System.Net;

namespace DmarcCloud.Core.Evaluation;

/// <summary>What the mail gateway saw in the SMTP session that delivered a message.</summary>
/// <param name="ClientIp">The connecting client's IP address.</param>
/// <param name="Helo">The HELO/EHLO name, if given.</param>
/// <param name="MailFrom">The MAIL FROM address without angle brackets; empty for the null reverse-path.</param>
/// <param name="RcptTo">The RCPT TO addresses.</param>
/// <param name="ReceivedAt">When the gateway received the message (UTC).</param>
/// <param name="Authenticated">The client authenticated (SMTP AUTH): a submission, not inbound mail.</param>
public sealed record SmtpEnvelope(
    IPAddress ClientIp,
    string? Helo,
    string? MailFrom,
    IReadOnlyList<string> RcptTo,
    DateTimeOffset ReceivedAt,
    bool Authenticated = false);
