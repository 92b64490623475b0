namespace DmarcCloud.Core.Dmarc;

/// <summary>The outcome of DMARC policy discovery for one author domain.</summary>
/// <param name="Status">How discovery ended.</param>
/// <param name="AuthorDomain">The domain the discovery started from (A-label, lower-case).</param>
/// <param name="Method">Tree walk (RFC 9989) or Public Suffix List (RFC 7489).</param>
/// <param name="PolicyDomain">The domain whose <c>_dmarc</c> record was used (also for an unusable record).</param>
/// <param name="Parsed">The parse result of that record.</param>
/// <param name="Queries">Every DMARC DNS query made, in order.</param>
/// <param name="Error">Why discovery stopped without a policy (DNS error text, unusable record reason).</param>
public sealed record DmarcPolicyLookup(
    DmarcPolicyLookupStatus Status,
    string AuthorDomain,
    DiscoveryMethod Method,
    string? PolicyDomain,
    DmarcRecordParseResult? Parsed,
    IReadOnlyList<DmarcDnsQuery> Queries,
    string? Error = null)
{
    /// <summary>The usable record, when <see cref="Status"/> is <see cref="DmarcPolicyLookupStatus.Found"/>.</summary>
    public DmarcRecord? Record => Status == DmarcPolicyLookupStatus.Found ? Parsed?.Record : null;
}
