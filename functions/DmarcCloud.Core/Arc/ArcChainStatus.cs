using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Arc;

/// <summary>The chain validation status of an ARC chain, the <c>cv=</c> value.</summary>
/// <remarks>RFC 8617 §4.4.</remarks>
public enum ArcChainStatus
{
    /// <summary>No ARC sets on the message.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Every ARC set validates and the chain is intact.</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>The chain is broken or a seal or message signature does not validate.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
}
