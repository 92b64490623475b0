namespace DmarcCloud.Core.Dmarc;

/// <summary>Why a message has no single author domain.</summary>
/// <remarks>RFC 9989 §4.4 (the author domain) and RFC 5322 §3.6 (exactly one From field).</remarks>
public enum AuthorDomainProblem
{
    /// <summary>One From field with one author domain.</summary>
    None,

    /// <summary>The message has no From field: DMARC result permerror.</summary>
    NoFromField,

    /// <summary>The message has several From fields (RFC 5322 allows one): DMARC result permerror.</summary>
    SeveralFromFields,

    /// <summary>The From field holds no address (e.g. only a display name): DMARC result permerror.</summary>
    NoAddress,

    /// <summary>An address has a domain that is not a valid DNS name (literal, bad characters): DMARC result permerror.</summary>
    InvalidDomain,

    /// <summary>
    /// The From field holds addresses in different domains: each domain is evaluated and the strictest failing
    /// result is kept (RFC 9989 §4.4).
    /// </summary>
    SeveralDomains,

    /// <summary>
    /// The message exceeds a size limit (<see cref="Mime.MessageLimits"/>) and was not parsed: DMARC result
    /// permerror, the detail names the limit.
    /// </summary>
    MessageRefused,
}
