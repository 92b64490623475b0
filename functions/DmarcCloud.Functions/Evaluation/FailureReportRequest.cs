namespace DmarcCloud.Functions.Evaluation;

/// <summary>
/// The message sent on Service Bus queue <c>failure-reports</c> when the policy's <c>fo</c>/<c>ruf</c> ask for a
/// failure report. The report writer reads the original message from <see cref="Blob"/>.
/// </summary>
/// <param name="MessageKey">The stable message key.</param>
/// <param name="Blob">The blob holding the message, <c>container/name</c>.</param>
/// <param name="PolicyDomain">The policy domain.</param>
/// <param name="HeaderFrom">The RFC 5322 From domain.</param>
/// <param name="SourceIp">The SMTP client IP.</param>
/// <param name="ReceivedAt">When the message was received (UTC).</param>
/// <param name="Ruf">The policy's failure report URIs.</param>
/// <param name="Fo">The fo options that fired (0, 1, d, s).</param>
/// <param name="Dmarc">The DMARC result.</param>
/// <param name="AuthenticationResults">The rendered Authentication-Results header field.</param>
public sealed record FailureReportRequest(
    string MessageKey,
    string Blob,
    string PolicyDomain,
    string HeaderFrom,
    string SourceIp,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<string> Ruf,
    IReadOnlyList<string> Fo,
    string Dmarc,
    string AuthenticationResults);
