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
/// <remarks>RFC 7208 §4.6.1 and §5. Made by the named factories, one per mechanism (<see cref="Include"/>, <see cref="Ip4"/>, …).</remarks>
public sealed record SpfMechanism(
    SpfQualifier Qualifier,
    SpfMechanismKind Kind,
    string? DomainSpec,
    IPAddress? Network,
    int? Ip4Prefix,
    int? Ip6Prefix,
    string Text)
{
    /// <summary><c>all</c> (§5.1).</summary>
    public static SpfMechanism All(SpfQualifier qualifier, string text) =>
        new(qualifier, SpfMechanismKind.All, null, null, null, null, text);

    /// <summary><c>include:&lt;domain-spec&gt;</c> (§5.2).</summary>
    public static SpfMechanism Include(SpfQualifier qualifier, string domainSpec, string text) =>
        new(qualifier, SpfMechanismKind.Include, domainSpec, null, null, null, text);

    /// <summary><c>a[:&lt;domain-spec&gt;][/ip4-cidr][//ip6-cidr]</c> (§5.3).</summary>
    public static SpfMechanism A(SpfQualifier qualifier, string? domainSpec, int? ip4Prefix, int? ip6Prefix, string text) =>
        new(qualifier, SpfMechanismKind.A, domainSpec, null, ip4Prefix, ip6Prefix, text);

    /// <summary><c>mx[:&lt;domain-spec&gt;][/ip4-cidr][//ip6-cidr]</c> (§5.4).</summary>
    public static SpfMechanism Mx(SpfQualifier qualifier, string? domainSpec, int? ip4Prefix, int? ip6Prefix, string text) =>
        new(qualifier, SpfMechanismKind.Mx, domainSpec, null, ip4Prefix, ip6Prefix, text);

    /// <summary><c>ptr[:&lt;domain-spec&gt;]</c> (§5.5).</summary>
    public static SpfMechanism Ptr(SpfQualifier qualifier, string? domainSpec, string text) =>
        new(qualifier, SpfMechanismKind.Ptr, domainSpec, null, null, null, text);

    /// <summary><c>ip4:&lt;network&gt;[/prefix]</c> (§5.6).</summary>
    public static SpfMechanism Ip4(SpfQualifier qualifier, IPAddress network, int? prefix, string text) =>
        new(qualifier, SpfMechanismKind.Ip4, null, network, prefix, null, text);

    /// <summary><c>ip6:&lt;network&gt;[/prefix]</c> (§5.6).</summary>
    public static SpfMechanism Ip6(SpfQualifier qualifier, IPAddress network, int? prefix, string text) =>
        new(qualifier, SpfMechanismKind.Ip6, null, network, null, prefix, text);

    /// <summary><c>exists:&lt;domain-spec&gt;</c> (§5.7).</summary>
    public static SpfMechanism Exists(SpfQualifier qualifier, string domainSpec, string text) =>
        new(qualifier, SpfMechanismKind.Exists, domainSpec, null, null, null, text);

    /// <summary>True for the mechanisms that query DNS and count against the limit of 10 (§4.6.4).</summary>
    public bool CountsAsDnsLookup => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}
