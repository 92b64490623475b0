using System.Net;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests.Reporting.Failure;

/// <summary>Verdicts and messages for the failure report tests.</summary>
internal static class FailureVerdicts
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 21, 10, 30, 0, TimeSpan.Zero);

    public const string BodyMarker = "SECRET-BODY-LINE the quarterly numbers";

    public static PublishedPolicy Policy(string fo = "1", string ruf = "mailto:ruf@example.com", PsdFlag psd = PsdFlag.Unspecified, AlignmentMode adkim = AlignmentMode.Relaxed) =>
        new("example.com", $"v=DMARC1; p=reject; fo={fo}; ruf={ruf}", DmarcPolicy.Reject, null, null, adkim, AlignmentMode.Relaxed, false, psd, null, fo,
            ["mailto:rua@example.com"], ruf.Length == 0 ? [] : ruf.Split(','), DiscoveryMethod.TreeWalk);

    /// <summary>A verdict from example.com with the given SPF and DKIM outcomes.</summary>
    public static Verdict Make(
        PublishedPolicy? policy = null,
        SpfResult spf = SpfResult.Fail,
        string spfDomain = "bad.example",
        bool spfAligned = false,
        DkimResult dkim = DkimResult.Fail,
        string dkimDomain = "example.com",
        bool dkimAligned = false,
        DmarcResult? result = null,
        string ip = "203.0.113.9",
        IReadOnlyList<string>? rcpt = null)
    {
        var dmarc = result ?? (spfAligned || dkimAligned ? DmarcResult.Pass : DmarcResult.Fail);
        return new Verdict
        {
            Envelope = new SmtpEnvelope(IPAddress.Parse(ip), "mail.bad.example", "bounce@" + spfDomain, rcpt ?? ["alice.private@receiver.example"], ReceivedAt),
            EvaluatedAt = ReceivedAt.AddSeconds(1),
            HeaderFrom = "example.com",
            Spf = new SpfCheckResult(spf, SpfIdentity.MailFrom, spfDomain, Record: "v=spf1 ip4:192.0.2.0/24 -all"),
            Dkim = [new DkimSignatureResult(dkim, dkimDomain, "sel", "rsa-sha256", dkim == DkimResult.Fail ? "body hash did not verify" : null, "@" + dkimDomain, "AbCdEf")],
            Result = dmarc,
            SpfAligned = spfAligned,
            DkimAligned = dkimAligned,
            Policy = policy ?? Policy(),
            OrganizationalDomain = "example.com",
            RequestedPolicy = DmarcPolicy.Reject,
            Disposition = dmarc == DmarcResult.Fail ? Disposition.Reject : Disposition.None,
            AuthenticationResults = $"Authentication-Results: receiver.example; spf={spf.ToString().ToLowerInvariant()} smtp.mailfrom={spfDomain}; dkim={dkim.ToString().ToLowerInvariant()} header.d={dkimDomain}; dmarc={dmarc.ToString().ToLowerInvariant()} header.from=example.com",
        };
    }

    /// <summary>A message from example.com to a private recipient, with a (syntactically valid) DKIM signature and a body.</summary>
    public static byte[] Message(string subject = "Invoice 4711 for alice.private@receiver.example") => Encoding.UTF8.GetBytes(
        "Return-Path: <bounce@bad.example>\r\n"
        + "Received: from mail.bad.example (mail.bad.example [203.0.113.9])\r\n\tby mx.receiver.example with ESMTP id 1234\r\n\tfor <alice.private@receiver.example>; Sat, 21 Nov 2026 10:30:00 +0000\r\n"
        + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;\r\n\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdEfGhIjKlMnOpQrStUvWxYz01234567\r\n"
        + "From: \"Example Billing\" <billing@example.com>\r\n"
        + "To: \"Alice Private\" <alice.private@receiver.example>, bob.secret@receiver.example\r\n"
        + "Cc: carol.hidden@other.example\r\n"
        + "Subject: " + subject + "\r\n"
        + "Date: Sat, 21 Nov 2026 10:29:58 +0000\r\n"
        + "Message-ID: <forged-4711@example.com>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "\r\n"
        + BodyMarker + "\r\n"
        + "Please pay now.\r\n");
}
