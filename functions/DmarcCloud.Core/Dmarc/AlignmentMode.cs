using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>Identifier alignment mode, the values of <c>adkim=</c> and <c>aspf=</c>.</summary>
/// <remarks>RFC 9989 §4.4.</remarks>
public enum AlignmentMode
{
    /// <summary>Organizational domains must match (<c>r</c>, the default).</summary>
    [JsonStringEnumMemberName("relaxed")]
    Relaxed,

    /// <summary>Domains must match exactly (<c>s</c>).</summary>
    [JsonStringEnumMemberName("strict")]
    Strict,
}
