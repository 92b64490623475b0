using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Evaluation;

/// <summary>
/// Everything DmarcCloud concluded about one message: the identities, every method's result and alignment,
/// the policy found and how, and what to do with the message. It is stored, reported on and sent to the
/// mail platform, so it holds all that later stages need and nothing they must look up again.
/// </summary>
/// <remarks>RFC 9989 §4.8 (evaluation), RFC 8601 (the rendered header). JSON schema: docs/verdict.md.</remarks>
public sealed record Verdict
{
    /// <summary>The SMTP envelope of the message.</summary>
    public required SmtpEnvelope Envelope { get; init; }

    /// <summary>When the evaluation ran (UTC).</summary>
    public required DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>The RFC 5322 From domain (A-label, lower-case), or null when none could be determined.</summary>
    public string? HeaderFrom { get; init; }

    /// <summary>Why no single author domain could be determined (no From, several From fields or addresses), if so.</summary>
    public string? HeaderFromProblem { get; init; }

    /// <summary>The SPF result used by DMARC: MAIL FROM, or HELO when MAIL FROM is null.</summary>
    public SpfCheckResult? Spf { get; init; }

    /// <summary>The SPF result for the HELO identity, when it was checked.</summary>
    public SpfCheckResult? SpfHelo { get; init; }

    /// <summary>Every DKIM signature's result, in header order.</summary>
    public IReadOnlyList<DkimSignatureResult> Dkim { get; init; } = [];

    /// <summary>The ARC chain validation, if the message carried ARC sets.</summary>
    public ArcValidationResult Arc { get; init; } = ArcValidationResult.NoChain;

    /// <summary>The DMARC result.</summary>
    public DmarcResult Result { get; init; }

    /// <summary>An SPF pass whose domain aligns with the From domain.</summary>
    public bool SpfAligned { get; init; }

    /// <summary>A DKIM pass whose <c>d=</c> aligns with the From domain.</summary>
    public bool DkimAligned { get; init; }

    /// <summary>The policy record used, as found; null when no policy applies.</summary>
    public PublishedPolicy? Policy { get; init; }

    /// <summary>The organizational domain of the From domain, by <see cref="PublishedPolicy.DiscoveryMethod"/>.</summary>
    public string? OrganizationalDomain { get; init; }

    /// <summary>
    /// The policy the record requests for this message (p, sp or np) before <c>t=y</c>, <c>pct</c> and local
    /// overrides; set whenever a policy record applies (it is <c>policy.dmarc</c> in Authentication-Results).
    /// </summary>
    public DmarcPolicy? RequestedPolicy { get; init; }

    /// <summary>The policy after <c>t=y</c> testing and RFC 7489 <c>pct</c> sampling, before local policy; null when DMARC did not fail.</summary>
    public DmarcPolicy? EffectivePolicy { get; init; }

    /// <summary>How the policy and organizational domains were looked for (also when none was found).</summary>
    public DiscoveryMethod DiscoveryMethod { get; init; }

    /// <summary>Every DMARC DNS query made (policy records, organizational-domain walks, the existence check), in order.</summary>
    public IReadOnlyList<DmarcDnsQuery> DmarcQueries { get; init; } = [];

    /// <summary>Whether the author domain exists, when the RFC 9989 <c>np</c> existence check ran.</summary>
    public bool? AuthorDomainExists { get; init; }

    /// <summary>Every distinct author domain in the From field (several when the field holds several addresses).</summary>
    public IReadOnlyList<string> AuthorDomains { get; init; } = [];

    /// <summary>The <c>d=</c> of the first aligned passing DKIM signature.</summary>
    public string? AlignedDkimDomain { get; init; }

    /// <summary>Why the DMARC result is what it is (permerror/temperror cause, no policy found, …).</summary>
    public string? DmarcReason { get; init; }

    /// <summary>In PSL mode: the Public Suffix List used and its date, e.g. <c>embedded 2026-08-19</c>.</summary>
    public string? PublicSuffixList { get; init; }

    /// <summary>The Public Suffix List's age in days when the message was evaluated (PSL mode).</summary>
    public int? PublicSuffixListAgeDays { get; init; }

    /// <summary>What to do with the message, after overrides.</summary>
    public Disposition Disposition { get; init; }

    /// <summary>Why the disposition differs from the requested policy.</summary>
    public IReadOnlyList<PolicyOverrideReason> Overrides { get; init; } = [];

    /// <summary>Free-text notes on problems met along the way (malformed records, ignored tags, …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The RFC 8601 Authentication-Results header field, rendered ("Authentication-Results: …").</summary>
    public string AuthenticationResults { get; init; } = string.Empty;
}
