namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// One failure (ruf, "forensic") report, normalised: ARF field names (RFC 5965 §3.1, RFC 6591 §3.1) in camelCase
/// (<c>Original-Mail-From</c> → <see cref="OriginalMailFrom"/>), plus the original message's key headers.
/// </summary>
/// <remarks>
/// RFC 6591 (AFRF): <c>multipart/report; report-type=feedback-report</c> with a <c>message/feedback-report</c> part
/// whose <c>Feedback-Type</c> is <c>auth-failure</c>. Non-ARF plain-text reports (Exim, some ISPs) are read
/// best-effort from labelled lines; <see cref="Format"/> is then <c>text</c>.
/// </remarks>
public sealed record FailureReport
{
    /// <summary>Always <c>failure</c>.</summary>
    public string Kind => "failure";

    /// <summary><c>arf</c> (a feedback-report part was read) or <c>text</c> (best-effort from plain text).</summary>
    public required string Format { get; init; }

    /// <summary><c>Feedback-Type</c> (<c>auth-failure</c>, <c>abuse</c>, …), lower-cased.</summary>
    public string? FeedbackType { get; init; }

    /// <summary><c>User-Agent</c>.</summary>
    public string? UserAgent { get; init; }

    /// <summary><c>Version</c>.</summary>
    public string? Version { get; init; }

    /// <summary><c>Reported-Domain</c> (first), lower-cased; else the original From domain (see <see cref="Warnings"/>).</summary>
    public string? ReportedDomain { get; init; }

    /// <summary><c>Source-IP</c>.</summary>
    public string? SourceIp { get; init; }

    /// <summary><c>Auth-Failure</c> (<c>dmarc</c>, <c>dkim</c>, <c>spf</c>, <c>bodyhash</c>, …), lower-cased.</summary>
    public string? AuthFailure { get; init; }

    /// <summary><c>Arrival-Date</c> in Unix seconds, when it could be read.</summary>
    public long? ArrivalDate { get; init; }

    /// <summary><c>Original-Mail-From</c>.</summary>
    public string? OriginalMailFrom { get; init; }

    /// <summary><c>Original-Rcpt-To</c> (every occurrence).</summary>
    public IReadOnlyList<string> OriginalRcptTo { get; init; } = [];

    /// <summary><c>Original-Envelope-Id</c>.</summary>
    public string? OriginalEnvelopeId { get; init; }

    /// <summary><c>Reporting-MTA</c>.</summary>
    public string? ReportingMta { get; init; }

    /// <summary><c>Delivery-Result</c>.</summary>
    public string? DeliveryResult { get; init; }

    /// <summary><c>Identity-Alignment</c>.</summary>
    public string? IdentityAlignment { get; init; }

    /// <summary><c>DKIM-Domain</c>.</summary>
    public string? DkimDomain { get; init; }

    /// <summary><c>DKIM-Identity</c>.</summary>
    public string? DkimIdentity { get; init; }

    /// <summary><c>DKIM-Selector</c>.</summary>
    public string? DkimSelector { get; init; }

    /// <summary><c>SPF-DNS</c>.</summary>
    public string? SpfDns { get; init; }

    /// <summary><c>Incidents</c>.</summary>
    public long? Incidents { get; init; }

    /// <summary><c>Authentication-Results</c> fields of the report.</summary>
    public IReadOnlyList<string> AuthenticationResults { get; init; } = [];

    /// <summary>The original message's <c>From</c>.</summary>
    public string? OriginalFrom { get; init; }

    /// <summary>The original message's <c>To</c>.</summary>
    public string? OriginalTo { get; init; }

    /// <summary>The original message's <c>Subject</c>.</summary>
    public string? OriginalSubject { get; init; }

    /// <summary>The original message's <c>Message-ID</c>.</summary>
    public string? OriginalMessageId { get; init; }

    /// <summary>The report mail's own <c>From</c> (who sent the report).</summary>
    public string? ReporterFrom { get; init; }

    /// <summary>The report mail's <c>Date</c> in Unix seconds.</summary>
    public long? ReportDate { get; init; }

    /// <summary>Deviations that were tolerated.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
