namespace DmarcCloud.Core.Dmarc;

/// <summary>The DMARC result for a message.</summary>
/// <remarks>RFC 8601 §2.7 and RFC 9989 §4.8.</remarks>
public enum DmarcResult
{
    /// <summary>No DMARC policy applies to the author domain (or DMARC is not applied).</summary>
    None,

    /// <summary>An aligned SPF or DKIM pass.</summary>
    Pass,

    /// <summary>No aligned pass.</summary>
    Fail,

    /// <summary>A DNS failure prevented a result; try again later.</summary>
    TempError,

    /// <summary>The message or a published record cannot be evaluated (e.g. no usable From).</summary>
    PermError,
}
