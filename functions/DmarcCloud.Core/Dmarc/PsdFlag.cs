using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>The <c>psd=</c> tag of a DMARC record: whether the domain is a public suffix domain.</summary>
/// <remarks>RFC 9989 §4.7 (<c>psd</c>) and §4.10 (a record with <c>y</c> or <c>n</c> ends the tree walk).</remarks>
public enum PsdFlag
{
    /// <summary><c>u</c>: unspecified, the default (also for an invalid value).</summary>
    [JsonStringEnumMemberName("u")]
    Unspecified,

    /// <summary><c>y</c>: a public suffix domain; its organizational domain is one label below.</summary>
    [JsonStringEnumMemberName("y")]
    Yes,

    /// <summary><c>n</c>: not a public suffix domain; this name is the organizational domain.</summary>
    [JsonStringEnumMemberName("n")]
    No,
}
