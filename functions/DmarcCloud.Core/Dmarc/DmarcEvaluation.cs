namespace DmarcCloud.Core.Dmarc;

/// <summary>The DMARC outcome for one message, with everything that led to it.</summary>
/// <remarks>RFC 9989 §4.8 (evaluation), §4.7 (p/sp/np, t), RFC 7489 §6.6.4 (pct), RFC 9990 (override reasons).</remarks>
public sealed record DmarcEvaluation
{
    /// <summary>The DMARC result.</summary>
    public required DmarcResult Result { get; init; }

    /// <summary>The author domain evaluated (for several From domains: the one whose result was kept).</summary>
    public string? AuthorDomain { get; init; }

    /// <summary>Why the result is what it is, in words (e.g. the permerror or temperror cause).</summary>
    public string? Reason { get; init; }

    /// <summary>Policy discovery for <see cref="AuthorDomain"/>.</summary>
    public DmarcPolicyLookup? Lookup { get; init; }

    /// <summary>The policy record applied, when one applies.</summary>
    public DmarcRecord? Record => Lookup?.Record;

    /// <summary>The domain whose record applies.</summary>
    public string? PolicyDomain => Lookup?.Status == DmarcPolicyLookupStatus.Found ? Lookup.PolicyDomain : null;

    /// <summary>The organizational domain of the author domain by the discovery method.</summary>
    public string? OrganizationalDomain { get; init; }

    /// <summary>An SPF pass whose domain aligns with the author domain.</summary>
    public bool SpfAligned { get; init; }

    /// <summary>A DKIM pass whose <c>d=</c> aligns with the author domain.</summary>
    public bool DkimAligned { get; init; }

    /// <summary>The <c>d=</c> of the first aligned passing DKIM signature.</summary>
    public string? AlignedDkimDomain { get; init; }

    /// <summary>Whether the author domain exists (checked only when <c>np</c> could apply); null when not checked.</summary>
    public bool? AuthorDomainExists { get; init; }

    /// <summary>The policy the record asks for this message (p, sp or np), before t=y, pct and local policy.</summary>
    public DmarcPolicy? RequestedPolicy { get; init; }

    /// <summary>The policy to apply after <c>t=y</c> testing and <c>pct</c> sampling, before local policy.</summary>
    public DmarcPolicy? EffectivePolicy { get; init; }

    /// <summary>What to do with the message, after every override.</summary>
    public Disposition Disposition { get; init; }

    /// <summary>Why the disposition differs from the requested policy.</summary>
    public IReadOnlyList<PolicyOverrideReason> Overrides { get; init; } = [];

    /// <summary>Every DMARC DNS query made (policy, organizational domains, existence), in order.</summary>
    public IReadOnlyList<DmarcDnsQuery> Queries { get; init; } = [];

    /// <summary>Problems met along the way (record warnings, several From domains, …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The discovery method used.</summary>
    public DiscoveryMethod DiscoveryMethod { get; init; }
}
