using System.Net;

namespace DmarcCloud.Core.Spf;

/// <summary>One directive of an SPF record: a qualifier and a mechanism with its arguments.</summary>
/// <param name="Qualifier">The result when the mechanism matches.</param>
/// <param name="Kind">The mechanism.</param>
/// <param name="DomainSpec">The domain-spec (macro-string) for include, a, mx, ptr, exists; null when absent.</param>
/// <param name="Network">The network address of ip4/ip6.</param>
/// <param name="Ip4Prefix">The IPv4 CIDR length (ip4, a, mx); null when absent (32).</param>
/// <param name="Ip6Prefix">The IPv6 CIDR length (ip6, a, mx); null when absent (128).</param>
/// <param name="Text">The term as published.</param>
/// <remarks>RFC 7208 §4.6.1 and §5.</remarks>
public sealed record SpfMechanism(
    SpfQualifier Qualifier,
    SpfMechanismKind Kind,
    string? DomainSpec,
    IPAddress? Network,
    int? Ip4Prefix,
    int? Ip6Prefix,
    string Text)
{
    /// <summary>True for the mechanisms that query DNS and count against the limit of 10 (§4.6.4).</summary>
    public bool CountsAsDnsLookup => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}
