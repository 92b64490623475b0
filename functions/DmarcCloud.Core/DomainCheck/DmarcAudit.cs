using DmarcCloud.Core.Dmarc;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>What the checker found about a domain's DMARC policy.</summary>
/// <param name="Status">How the RFC 9989 tree walk ended (found, none, unusable record, DNS failure).</param>
/// <param name="PolicyDomain">The name whose <c>_dmarc</c> record applies (the domain itself or a parent), if any.</param>
/// <param name="Record">That record as published.</param>
/// <param name="OrganizationalDomain">The organizational domain by the tree walk (RFC 9989 §4.10.1), when DNS answered.</param>
/// <param name="EffectivePolicy">The policy receivers apply to mail from the domain: <c>p</c> at the policy domain, <c>sp</c> below it.</param>
/// <param name="Testing">The record has <c>t=y</c>.</param>
/// <param name="Stage">Where the domain stands on the rollout path.</param>
/// <param name="Queries">Every DMARC DNS query of the tree walk, in order.</param>
/// <remarks>RFC 9989 §4.7, §4.8, §4.10.</remarks>
public sealed record DmarcAudit(
    DmarcPolicyLookupStatus Status,
    string? PolicyDomain,
    string? Record,
    string? OrganizationalDomain,
    DmarcPolicy? EffectivePolicy,
    bool Testing,
    RolloutStage Stage,
    IReadOnlyList<DmarcDnsQuery> Queries);
