namespace DmarcCloud.Core.Dkim;

/// <summary>A DKIM canonicalization algorithm, for the header or the body (<c>c=</c>).</summary>
/// <remarks>RFC 6376 §3.4.</remarks>
public enum DkimCanonicalization
{
    /// <summary>"simple": tolerates almost no change (RFC 6376 §3.4.1, §3.4.3).</summary>
    Simple,

    /// <summary>"relaxed": tolerates whitespace changes and header re-folding (RFC 6376 §3.4.2, §3.4.4).</summary>
    Relaxed,
}
