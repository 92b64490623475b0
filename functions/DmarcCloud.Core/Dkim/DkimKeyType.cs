namespace DmarcCloud.Core.Dkim;

/// <summary>The key type of a DKIM public key record (<c>k=</c>).</summary>
/// <remarks>RFC 6376 §3.6.1 (rsa, the default), RFC 8463 §4 (ed25519).</remarks>
public enum DkimKeyType
{
    /// <summary>A <c>k=</c> value this verifier does not know.</summary>
    Unknown,

    /// <summary>RSA (SubjectPublicKeyInfo or bare PKCS#1 RSAPublicKey in <c>p=</c>).</summary>
    Rsa,

    /// <summary>Ed25519 (the raw 32-byte public key in <c>p=</c>).</summary>
    Ed25519,
}
