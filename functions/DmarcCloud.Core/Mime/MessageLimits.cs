namespace DmarcCloud.Core.Mime;

/// <summary>
/// Size limits a message must meet before it is parsed (MimeKit), canonicalized or hashed. They are checked by
/// one linear scan of the raw bytes (<see cref="MessageLimitsCheck"/>) at the entry of
/// <see cref="Evaluation.MessageEvaluator"/>; a message over a limit is refused: DMARC permerror with the limit
/// named in the reason (<see cref="Dmarc.AuthorDomainProblem.MessageRefused"/>), recorded in the verdict.
/// </summary>
/// <remarks>
/// RFC 5322 §2.1.1 sets a line limit of 998 characters but lets fields fold over many lines, so a single field
/// has no protocol limit; the defaults follow common MTAs (Exim <c>header_maxsize</c> 1 MiB for the header
/// block) and MimeKit's own cost (32 KiB per field) and are far above what real mail carries.
/// The DKIM tag limits (RFC 6376 §3.5) bound the <c>b=</c> base64 text (a 16384-bit RSA signature is
/// 2732 characters) and the <c>h=</c> list. Every limit is documented in docs/limits.md.
/// </remarks>
public sealed class MessageLimits
{
    /// <summary>The defaults.</summary>
    public static MessageLimits Default { get; } = new();

    /// <summary>The whole message, in bytes: 25 MiB, the inbound limit.</summary>
    public int MaxMessageBytes { get; init; } = 25 * 1024 * 1024;

    /// <summary>The header block (every field, up to the empty line), in bytes: 1 MiB.</summary>
    public int MaxHeaderBlockBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// One header field with all its folded lines, in bytes: 32 KiB. MimeKit's header parsing allocates
    /// quadratically in a field's length above about 32 KiB (a 1 MiB header block of 100 KiB fields: 80 MiB; of
    /// 32 KiB fields: 10 MiB; docs/fuzzing.md), so this limit is what keeps a message's cost linear.
    /// </summary>
    public int MaxHeaderFieldBytes { get; init; } = 32 * 1024;

    /// <summary>Header fields in the header block: 1000.</summary>
    public int MaxHeaderFields { get; init; } = 1000;

    /// <summary>One From field (name, colon and value), in bytes: 16 KiB.</summary>
    public int MaxFromFieldBytes { get; init; } = 16 * 1024;

    /// <summary>Nesting depth of MIME multiparts and message/rfc822 parts MimeKit follows: 64.</summary>
    public int MaxMimeDepth { get; init; } = 64;

    /// <summary>DKIM-Signature / ARC-Message-Signature / ARC-Seal <c>b=</c> base64 text, whitespace removed: 8192 characters.</summary>
    public const int MaxDkimSignatureBase64Length = 8192;

    /// <summary>Header field names in a DKIM-Signature or ARC-Message-Signature <c>h=</c> list: 512.</summary>
    public const int MaxDkimSignedHeaders = 512;

    /// <summary>Tags in one DKIM tag-list (signature, key record, ARC field): 64 (RFC 6376 defines 14).</summary>
    public const int MaxTagListTags = 64;
}
