using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Spf;

/// <summary>Which identity an SPF check authorized.</summary>
/// <remarks>RFC 7208 §2.3 (HELO) and §2.4 (MAIL FROM).</remarks>
public enum SpfIdentity
{
    /// <summary>The RFC 5321 MAIL FROM (for a null reverse-path: postmaster@HELO).</summary>
    [JsonStringEnumMemberName("mailfrom")]
    MailFrom,

    /// <summary>The HELO/EHLO name.</summary>
    [JsonStringEnumMemberName("helo")]
    Helo,
}
