using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Reporting;

/// <summary>Finds the organizational domain of a domain (RFC 9989 §4.10 tree walk, or the PSL).</summary>
/// <remarks>The DMARC evaluator owns the discovery; reporting takes it through this interface.</remarks>
public interface IOrganizationalDomainResolver
{
    /// <summary>
    /// The organizational domain of <paramref name="domain"/>: <see cref="DnsResultStatus.Success"/> with one
    /// record, or <see cref="DnsResultStatus.TemporaryFailure"/> when DNS failed and the answer is unknown.
    /// </summary>
    Task<DnsResult<string>> FindOrganizationalDomainAsync(string domain, CancellationToken cancellationToken = default);
}
