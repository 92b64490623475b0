using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dns;

/// <summary>The resource-record types DmarcCloud reads or serves.</summary>
public enum DnsRecordType
{
    /// <summary>IPv4 address.</summary>
    [JsonStringEnumMemberName("a")]
    A,

    /// <summary>IPv6 address.</summary>
    [JsonStringEnumMemberName("aaaa")]
    Aaaa,

    /// <summary>Mail exchanger.</summary>
    [JsonStringEnumMemberName("mx")]
    Mx,

    /// <summary>Text.</summary>
    [JsonStringEnumMemberName("txt")]
    Txt,

    /// <summary>Domain name pointer.</summary>
    [JsonStringEnumMemberName("ptr")]
    Ptr,

    /// <summary>Canonical name (alias).</summary>
    [JsonStringEnumMemberName("cname")]
    Cname,

    /// <summary>Name server.</summary>
    [JsonStringEnumMemberName("ns")]
    Ns,

    /// <summary>Start of authority.</summary>
    [JsonStringEnumMemberName("soa")]
    Soa,

    /// <summary>The retired SPF type (99); RFC 7208 §3.1: publish TXT only. Asked only to warn about it.</summary>
    [JsonStringEnumMemberName("spf")]
    Spf,
}
