namespace DmarcCloud.Core.Dns;

/// <summary>The resource-record types DmarcCloud reads or serves.</summary>
public enum DnsRecordType
{
    /// <summary>IPv4 address.</summary>
    A,

    /// <summary>IPv6 address.</summary>
    Aaaa,

    /// <summary>Mail exchanger.</summary>
    Mx,

    /// <summary>Text.</summary>
    Txt,

    /// <summary>Domain name pointer.</summary>
    Ptr,

    /// <summary>Canonical name (alias).</summary>
    Cname,

    /// <summary>Name server.</summary>
    Ns,

    /// <summary>Start of authority.</summary>
    Soa,

    /// <summary>The retired SPF type (99); RFC 7208 §3.1: publish TXT only. Asked only to warn about it.</summary>
    Spf,
}
