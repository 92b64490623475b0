namespace DmarcCloud.Core.Dkim;

/// <summary>The signing algorithm of a signature (<c>a=</c>).</summary>
/// <remarks>RFC 6376 §3.3, RFC 8301 (rsa-sha1 no longer valid), RFC 8463 (ed25519-sha256).</remarks>
public enum DkimAlgorithm
{
    /// <summary>An algorithm this verifier does not implement.</summary>
    Unknown,

    /// <summary>rsa-sha1: verifiable, but RFC 8301 §3.1 says verifiers must not treat it as valid.</summary>
    RsaSha1,

    /// <summary>rsa-sha256 (RFC 6376 §3.3.2).</summary>
    RsaSha256,

    /// <summary>ed25519-sha256 (RFC 8463 §3).</summary>
    Ed25519Sha256,
}
