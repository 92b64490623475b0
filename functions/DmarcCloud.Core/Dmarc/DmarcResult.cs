using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>The DMARC result for a message.</summary>
/// <remarks>RFC 8601 §2.7 and RFC 9989 §4.8.</remarks>
public enum DmarcResult
{
    /// <summary>No DMARC policy applies to the author domain (or DMARC is not applied).</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>An aligned SPF or DKIM pass.</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>No aligned pass.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>A DNS failure prevented a result; try again later.</summary>
    [JsonStringEnumMemberName("temperror")]
    TempError,

    /// <summary>The message or a published record cannot be evaluated (e.g. no usable From).</summary>
    [JsonStringEnumMemberName("permerror")]
    PermError,
}
