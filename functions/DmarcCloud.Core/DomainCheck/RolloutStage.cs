namespace DmarcCloud.Core.DomainCheck;

/// <summary>Where a domain stands on the way from no DMARC record to <c>p=reject</c>.</summary>
/// <remarks>
/// RFC 9989 §4.7 (<c>t=y</c>: receivers apply the policy one level lower and mark reports as a test) and RFC 7489
/// §6.6.4 (<c>pct</c>: a share of failing mail gets the policy, the rest one level lower). The staged path
/// none → quarantine → reject is what every seed product recommends (see docs/domain-tools.md).
/// </remarks>
public enum RolloutStage
{
    /// <summary>No usable DMARC record.</summary>
    NoPolicy,

    /// <summary><c>p=none</c>: monitoring, reports only.</summary>
    Monitor,

    /// <summary><c>p=quarantine</c> in testing mode (<c>t=y</c> or <c>pct=0</c>): no effect yet, reports show it.</summary>
    QuarantineTesting,

    /// <summary><c>p=quarantine</c> applied to part of the failing mail (RFC 7489 <c>pct</c> 1–99).</summary>
    QuarantinePartial,

    /// <summary><c>p=quarantine</c> in force.</summary>
    Quarantine,

    /// <summary><c>p=reject</c> in testing mode: receivers quarantine instead.</summary>
    RejectTesting,

    /// <summary><c>p=reject</c> applied to part of the failing mail (RFC 7489 <c>pct</c> 1–99).</summary>
    RejectPartial,

    /// <summary><c>p=reject</c> in force: the end of the path.</summary>
    Reject,
}
