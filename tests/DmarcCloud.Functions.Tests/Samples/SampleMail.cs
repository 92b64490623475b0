namespace DmarcCloud.Functions.Tests.Samples;

/// <summary>One entry of samples/mail/manifest.json: a demo message, its SMTP envelope and what it demonstrates.</summary>
public sealed record SampleMail(
    string File,
    string Scenario,
    string ClientIp,
    string? Helo,
    string? MailFrom,
    IReadOnlyList<string> RcptTo,
    DateTimeOffset ReceivedAt,
    string ExpectDkim,
    string ExpectDmarc);
