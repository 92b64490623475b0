using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dns;

/// <summary>How a DNS query ended. Every check in DmarcCloud depends on keeping these apart.</summary>
/// <remarks>
/// RFC 7208 §4.6.4 counts "void lookups" (NXDOMAIN or an empty answer); RFC 7208 §2.6.6, RFC 6376 §6.1.2
/// and RFC 9989 §4.7 turn a temporary failure into <c>temperror</c>, never into <c>none</c> or <c>fail</c>.
/// </remarks>
public enum DnsResultStatus
{
    /// <summary>NOERROR with at least one record of the asked type.</summary>
    [JsonStringEnumMemberName("success")]
    Success,

    /// <summary>NOERROR with no record of the asked type (the name exists): "NODATA".</summary>
    [JsonStringEnumMemberName("nodata")]
    NoData,

    /// <summary>RCODE 3: the name does not exist.</summary>
    [JsonStringEnumMemberName("nxdomain")]
    NxDomain,

    /// <summary>SERVFAIL, REFUSED, a timeout or a network error: try again later.</summary>
    [JsonStringEnumMemberName("temporaryfailure")]
    TemporaryFailure,
}
