using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Spf;

/// <summary>The result of an SPF check.</summary>
/// <remarks>RFC 7208 §2.6.</remarks>
public enum SpfResult
{
    /// <summary>No SPF record, or no checkable domain (§2.6.1).</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>The domain makes no assertion about the client (§2.6.2).</summary>
    [JsonStringEnumMemberName("neutral")]
    Neutral,

    /// <summary>The client is authorized (§2.6.3).</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>The client is not authorized (§2.6.4).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>The client is probably not authorized (§2.6.5).</summary>
    [JsonStringEnumMemberName("softfail")]
    SoftFail,

    /// <summary>A transient DNS error (§2.6.6).</summary>
    [JsonStringEnumMemberName("temperror")]
    TempError,

    /// <summary>The published records could not be interpreted (§2.6.7).</summary>
    [JsonStringEnumMemberName("permerror")]
    PermError,
}
