using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Azure.DomainTools;

/// <summary>The rollout advice for a domain as the API returns it: the advice and where its inputs came from.</summary>
/// <param name="Domain">The domain.</param>
/// <param name="From">The first day of the window.</param>
/// <param name="To">The last day of the window (inclusive).</param>
/// <param name="PolicyLookup">How DMARC discovery of the published record ended.</param>
/// <param name="PublishedRecord">The <c>_dmarc</c> record published at the domain itself, when there is one.</param>
/// <param name="Reports">Stored aggregate reports read for the window.</param>
/// <param name="Warnings">Reports read only in part.</param>
/// <param name="Advice">The advice; null when the published record could not be read (<paramref name="Error"/>).</param>
/// <param name="Error">Why there is no advice (a DNS failure: temperror, never taken as "no record").</param>
public sealed record DomainAdvice(
    string Domain,
    DateOnly From,
    DateOnly To,
    DmarcPolicyLookupStatus PolicyLookup,
    string? PublishedRecord,
    int Reports,
    IReadOnlyList<string> Warnings,
    RolloutAdvice? Advice,
    string? Error);
