using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>What DmarcCloud asks the mail platform to do with the message.</summary>
public enum Disposition
{
    /// <summary>Deliver normally.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Deliver to quarantine or junk.</summary>
    [JsonStringEnumMemberName("quarantine")]
    Quarantine,

    /// <summary>Refuse the message.</summary>
    [JsonStringEnumMemberName("reject")]
    Reject,
}
