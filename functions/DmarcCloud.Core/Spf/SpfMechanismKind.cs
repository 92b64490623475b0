namespace DmarcCloud.Core.Spf;

/// <summary>The SPF mechanisms.</summary>
/// <remarks>RFC 7208 §5.</remarks>
public enum SpfMechanismKind
{
    /// <summary><c>all</c> (§5.1): always matches.</summary>
    All,

    /// <summary><c>include</c> (§5.2): matches when the included domain's check passes.</summary>
    Include,

    /// <summary><c>a</c> (§5.3): matches an address of the target name.</summary>
    A,

    /// <summary><c>mx</c> (§5.4): matches an address of one of the target's mail exchangers.</summary>
    Mx,

    /// <summary><c>ptr</c> (§5.5, "do not use"): matches a validated reverse name within the target.</summary>
    Ptr,

    /// <summary><c>ip4</c> (§5.6): matches an IPv4 network.</summary>
    Ip4,

    /// <summary><c>ip6</c> (§5.6): matches an IPv6 network.</summary>
    Ip6,

    /// <summary><c>exists</c> (§5.7): matches when the target name has an A record.</summary>
    Exists,
}
