namespace DmarcCloud.Azure.Reporting;

/// <summary>What the SMTP relay said to one report mail: accepted, or refused for good (5xx).</summary>
/// <param name="Accepted">The relay accepted the message.</param>
/// <param name="Reply">The relay's reply (for a refusal: the status code and text).</param>
public sealed record SmtpSendResult(bool Accepted, string Reply)
{
    /// <summary>Accepted.</summary>
    public static SmtpSendResult Sent(string reply) => new(true, reply);

    /// <summary>Refused permanently.</summary>
    public static SmtpSendResult Rejected(string reply) => new(false, reply);
}
