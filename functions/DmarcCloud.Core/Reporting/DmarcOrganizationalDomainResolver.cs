using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// The organizational domain as the DMARC evaluator finds it (<see cref="DmarcPolicyDiscovery"/>): the RFC 9989
/// DNS tree walk by default, or the RFC 7489 Public Suffix List. A DNS failure is a temporary failure.
/// </summary>
public sealed class DmarcOrganizationalDomainResolver : IOrganizationalDomainResolver
{
    private readonly IDnsResolver _dns;
    private readonly DiscoveryMethod _method;

    /// <summary>Creates the resolver.</summary>
    public DmarcOrganizationalDomainResolver(IDnsResolver dns, DiscoveryMethod method = DiscoveryMethod.TreeWalk)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _dns = dns;
        _method = method;
    }

    /// <inheritdoc />
    public async Task<DnsResult<string>> FindOrganizationalDomainAsync(string domain, CancellationToken cancellationToken = default)
    {
        // A discovery instance caches the answers of one evaluation; a fresh one per question keeps answers fresh.
        var lookup = await new DmarcPolicyDiscovery(_dns).FindOrganizationalDomainAsync(domain, _method, cancellationToken).ConfigureAwait(false);
        return lookup.OrganizationalDomain is string organizational
            ? DnsResult<string>.Success([organizational])
            : DnsResult<string>.TemporaryFailure(lookup.Error ?? "DNS failure during organizational domain discovery");
    }
}
