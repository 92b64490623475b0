using System.Text.Json.Serialization;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>Which published record a finding is about.</summary>
public enum CheckArea
{
    /// <summary>The DMARC policy record (RFC 9989) and its report destinations (RFC 9990).</summary>
    [JsonStringEnumMemberName("dmarc")]
    Dmarc,

    /// <summary>The SPF record and its include tree (RFC 7208).</summary>
    [JsonStringEnumMemberName("spf")]
    Spf,

    /// <summary>DKIM key records (RFC 6376, RFC 8301, RFC 8463).</summary>
    [JsonStringEnumMemberName("dkim")]
    Dkim,

    /// <summary>DNS itself: answers that differ between resolvers.</summary>
    [JsonStringEnumMemberName("dns")]
    Dns,
}
