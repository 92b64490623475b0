namespace DmarcCloud.Core.Dmarc;

/// <summary>The organizational domain of one name, by the selected discovery method.</summary>
/// <remarks>RFC 9989 §4.10.1 (tree walk) or RFC 7489 §3.2 (Public Suffix List).</remarks>
/// <param name="Domain">The name asked about.</param>
/// <param name="OrganizationalDomain">Its organizational domain; null on a DNS failure.</param>
/// <param name="Method">How it was determined.</param>
/// <param name="Error">The DNS error that prevented an answer, if any.</param>
public sealed record OrganizationalDomainLookup(string Domain, string? OrganizationalDomain, DiscoveryMethod Method, string? Error = null)
{
    /// <summary>A DNS failure prevented the answer (temperror).</summary>
    public bool IsTempError => OrganizationalDomain is null;
}
