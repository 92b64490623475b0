using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>How policy discovery for an author domain ended.</summary>
/// <remarks>RFC 9989 §4.8 and §4.10; RFC 7489 §6.6.3.</remarks>
public enum DmarcPolicyLookupStatus
{
    /// <summary>A usable policy record was found.</summary>
    [JsonStringEnumMemberName("found")]
    Found,

    /// <summary>No DMARC record applies: DMARC is not applied (result none).</summary>
    [JsonStringEnumMemberName("nopolicy")]
    NoPolicy,

    /// <summary>A DMARC record was found but cannot be applied (invalid policy and no valid rua): result none.</summary>
    [JsonStringEnumMemberName("unusable")]
    Unusable,

    /// <summary>A DNS failure stopped discovery: result temperror.</summary>
    [JsonStringEnumMemberName("temperror")]
    TempError,
}
