namespace DmarcCloud.Core.Arc;

/// <summary>Settings for <see cref="ArcValidator"/>.</summary>
/// <remarks>RFC 8617 §4.2.1 (at most 50 ARC sets), RFC 8301 §3.2 (RSA key sizes, applied to ARC as to DKIM).</remarks>
public sealed class ArcValidatorOptions
{
    /// <summary>Chains with more ARC sets fail. RFC 8617 §4.2.1: "The maximum number of ARC Sets that can be attached to a
    /// message is 50." Default 50.</summary>
    public int MaxInstances { get; set; } = 50;

    /// <summary>RSA keys smaller than this make a seal or message signature invalid. Default 1024.</summary>
    public int MinimumRsaKeyBits { get; set; } = 1024;
}
