namespace DmarcCloud.Core.Reporting.Failure;

/// <summary>What a failure report may contain, and who sends it. Everything that exposes more than the headers is off by default.</summary>
/// <remarks>
/// RFC 9991 §7 (privacy: "apply minimization techniques, such as redaction of message bodies and header fields"),
/// RFC 6590 (redaction of local-parts), RFC 6591 §3.1 (DKIM-Canonicalized-Header/Body are optional). MDaemon offers
/// the same switches (include the canonicalized header/body). Never more than the policy asks: the body is sent only
/// when <see cref="IncludeBody"/> is on, and still only within the size caps.
/// </remarks>
public sealed record FailureReportContentOptions
{
    /// <summary>The default size cap of one failure report message (1 MiB): a <c>ruf</c> <c>!size</c> may lower it, never raise it.</summary>
    public const long DefaultMaxReportBytes = 1L << 20;

    /// <summary>The From address of report mail.</summary>
    public required string FromAddress { get; init; }

    /// <summary>The reporter's domain (Reporting-MTA, Message-ID right side).</summary>
    public required string ReporterDomain { get; init; }

    /// <summary>The <c>User-Agent</c> field of the feedback report.</summary>
    public string UserAgent { get; init; } = "DmarcCloud/1.0";

    /// <summary>Send the whole message (<c>message/rfc822</c>) instead of its header fields (<c>text/rfc822-headers</c>). Default off.</summary>
    public bool IncludeBody { get; init; }

    /// <summary>Add <c>DKIM-Canonicalized-Header</c> (base64 of the signed header data) for a failed signature. Default off.</summary>
    public bool IncludeDkimCanonicalizedHeader { get; init; }

    /// <summary>Add <c>DKIM-Canonicalized-Body</c> (base64 of the canonicalized body) for a failed signature. Default off.</summary>
    public bool IncludeDkimCanonicalizedBody { get; init; }

    /// <summary>Replace the local-parts of recipient addresses (To, Cc, Delivered-To, Received "for", Original-Rcpt-To, …) with an opaque token. Default on.</summary>
    public bool RedactRecipientLocalParts { get; init; } = true;

    /// <summary>Also redact the local-parts of sender addresses (From, Sender, Reply-To, Return-Path, Original-Mail-From). Default off.</summary>
    public bool RedactSenderLocalParts { get; init; }

    /// <summary>The secret that keys the redaction tokens (the same local-part always gives the same token under one key). Null: derived from <see cref="ReporterDomain"/>, which is stable but not secret.</summary>
    public string? RedactionKey { get; init; }

    /// <summary>The largest report message in bytes (default <see cref="DefaultMaxReportBytes"/>).</summary>
    public long MaxReportBytes { get; init; } = DefaultMaxReportBytes;
}
