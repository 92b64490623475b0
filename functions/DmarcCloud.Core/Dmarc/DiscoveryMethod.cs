using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>How the policy record and organizational domains were found.</summary>
/// <remarks>RFC 9990 <c>discovery_method</c>: <c>treewalk</c> (RFC 9989 §4.10) or <c>psl</c> (RFC 7489 §3.2).</remarks>
public enum DiscoveryMethod
{
    /// <summary>The RFC 9989 DNS tree walk (default).</summary>
    [JsonStringEnumMemberName("treewalk")]
    TreeWalk,

    /// <summary>The RFC 7489 Public Suffix List lookup.</summary>
    [JsonStringEnumMemberName("psl")]
    Psl,
}
