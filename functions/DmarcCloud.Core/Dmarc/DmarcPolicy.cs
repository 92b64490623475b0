using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>A requested handling policy: the values of <c>p=</c>, <c>sp=</c> and <c>np=</c>.</summary>
/// <remarks>RFC 9989 §4.7.</remarks>
public enum DmarcPolicy
{
    /// <summary>Monitor only.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Treat failing mail as suspicious.</summary>
    [JsonStringEnumMemberName("quarantine")]
    Quarantine,

    /// <summary>Reject failing mail.</summary>
    [JsonStringEnumMemberName("reject")]
    Reject,
}
