
namespace DmarcCloud.Core.Dns;

/// <summary>
/// Optional second door to DNS for resolvers that can ask for the retired SPF resource-record type (99), so that
/// the domain checker can tell an owner that such a record is still published.
/// </summary>
/// <remarks>
/// RFC 7208 §3.1 and §14.1: SPF records are published as TXT only; type SPF was discontinued and is no longer
/// looked up by receivers. The offline <c>DnsZone</c> (DmarcCloud.OfflineDns) does not implement this (master files' SPF lines are served as TXT).
/// </remarks>
public interface IDeprecatedSpfTypeResolver
{
    /// <summary>Records of type SPF (99) at <paramref name="name"/>, as TXT-shaped data.</summary>
    Task<DnsResult<TxtRecord>> LookupSpfTypeAsync(string name, CancellationToken cancellationToken = default);
}
