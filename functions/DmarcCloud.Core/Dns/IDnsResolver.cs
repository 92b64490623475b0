using System.Net;

namespace DmarcCloud.Core.Dns;

/// <summary>
/// The one door from DmarcCloud's checks to DNS. Implementations follow CNAME chains, return names
/// without the trailing dot, and keep NXDOMAIN, NODATA and temporary failure apart.
/// </summary>
/// <remarks>
/// Implementations: <c>DnsClientResolver</c> (DmarcCloud.Azure, real DNS over UDP/TCP with a cache) and
/// <c>DnsZone</c> (offline data, from RFC 1035 master files or test fixtures; the DmarcCloud.OfflineDns adapter).
/// Names are passed as ASCII (A-labels), with or without a trailing dot, any case.
/// </remarks>
public interface IDnsResolver
{
    /// <summary>TXT records at <paramref name="name"/>.</summary>
    Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A records (IPv4) at <paramref name="name"/>.</summary>
    Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>AAAA records (IPv6) at <paramref name="name"/>.</summary>
    Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>MX records at <paramref name="name"/>.</summary>
    Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>PTR records for <paramref name="address"/> (the in-addr.arpa / ip6.arpa name is built here).</summary>
    Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default);
}
