namespace DmarcCloud.Core.DomainCheck;

/// <summary>Which published record a finding is about.</summary>
public enum CheckArea
{
    /// <summary>The DMARC policy record (RFC 9989) and its report destinations (RFC 9990).</summary>
    Dmarc,

    /// <summary>The SPF record and its include tree (RFC 7208).</summary>
    Spf,

    /// <summary>DKIM key records (RFC 6376, RFC 8301, RFC 8463).</summary>
    Dkim,

    /// <summary>DNS itself: answers that differ between resolvers.</summary>
    Dns,
}
