namespace DmarcCloud.Core.Arc;

/// <summary>The chain validation status of an ARC chain, the <c>cv=</c> value.</summary>
/// <remarks>RFC 8617 §4.4.</remarks>
public enum ArcChainStatus
{
    /// <summary>No ARC sets on the message.</summary>
    None,

    /// <summary>Every ARC set validates and the chain is intact.</summary>
    Pass,

    /// <summary>The chain is broken or a seal or message signature does not validate.</summary>
    Fail,
}
