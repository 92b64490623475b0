namespace DmarcCloud.Core.Dkim;

/// <summary>Settings for <see cref="DkimVerifier"/>; the defaults are the secure choices.</summary>
/// <remarks>RFC 6376 §6.1 (limits on signatures), RFC 8301 (rsa-sha1, key sizes).</remarks>
public sealed class DkimVerifierOptions
{
    /// <summary>At most this many DKIM-Signature fields are verified, top first (RFC 6376 §6.1 lets verifiers limit
    /// the work an attacker can cause). Further signatures are not reported. Default 10.</summary>
    public int MaxSignatures { get; set; } = 10;

    /// <summary>RSA keys smaller than this fail. RFC 8301 §3.2: "Verifiers MUST NOT consider signatures using RSA keys of
    /// less than 1024 bits as valid signatures." Default 1024.</summary>
    public int MinimumRsaKeyBits { get; set; } = 1024;

    /// <summary>When false (the default), a cryptographically valid rsa-sha1 signature yields
    /// <see cref="DkimResult.Policy"/>, not pass. RFC 8301 §3.1: verifiers "MUST NOT consider signatures using
    /// rsa-sha1 ... valid".</summary>
    public bool AcceptRsaSha1 { get; set; }

    /// <summary>Tolerance for x= expiry against the verifier clock (RFC 6376 §3.5 allows "some leeway"). Default 5 minutes.
    /// A t= in the future is never a reason to reject (RFC 6376 §3.5 "MAY ignore"; senders' clocks drift).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
