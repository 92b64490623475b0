using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace DmarcCloud.Core.Dkim;

/// <summary>A public key taken from a key record's p=, ready to verify signatures.</summary>
/// <remarks>
/// RSA keys are accepted as SubjectPublicKeyInfo (RFC 6376 §3.6.1) or as a bare PKCS#1 RSAPublicKey (seen in the
/// wild and in the go-msgauth/stalwart vectors). Ed25519 keys are the raw 32 bytes (RFC 8463 §4). RSA uses
/// System.Security.Cryptography; .NET has no Ed25519, so keys are read (and checked) by BouncyCastle (shipped with
/// MimeKit) and signatures verified by libsodium through NSec, several times faster than BouncyCastle's managed
/// code, which remains the fallback where libsodium does not load.
/// </remarks>
internal sealed class DkimPublicKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly Ed25519PublicKeyParameters? _ed25519;
    private readonly NSec.Cryptography.PublicKey? _sodium;

    private DkimPublicKey(RSA? rsa, Ed25519PublicKeyParameters? ed25519, int bits)
    {
        _rsa = rsa;
        _ed25519 = ed25519;
        Bits = bits;
        if (ed25519 is not null && Sodium.Available)
        {
            // The same 32 bytes for libsodium (the key was validated by BouncyCastle above, which stays the fallback).
            NSec.Cryptography.PublicKey.TryImport(
                NSec.Cryptography.SignatureAlgorithm.Ed25519, ed25519.GetEncoded(), NSec.Cryptography.KeyBlobFormat.RawPublicKey, out _sodium);
        }
    }

    public int Bits { get; }

    public static DkimPublicKey? Import(DkimKeyType type, byte[] data, out string? error)
    {
        error = null;
        if (type == DkimKeyType.Ed25519)
        {
            if (data.Length != Ed25519PublicKeyParameters.KeySize)
            {
                error = $"Ed25519 key must be {Ed25519PublicKeyParameters.KeySize} bytes, p= has {data.Length}";
                return null;
            }

            try
            {
                return new DkimPublicKey(null, new Ed25519PublicKeyParameters(data), 256);
            }
            catch (ArgumentException ex)
            {
                // BouncyCastle refuses 32 bytes that are not a point on the curve: a bad published key, not a crash.
                error = $"p= is not a valid Ed25519 public key ({ex.Message})";
                return null;
            }
        }

        var rsa = RSA.Create();
        try
        {
            try
            {
                rsa.ImportSubjectPublicKeyInfo(data, out var read);
                if (read != data.Length)
                {
                    throw new CryptographicException("trailing data after SubjectPublicKeyInfo");
                }
            }
            catch (CryptographicException)
            {
                rsa.ImportRSAPublicKey(data, out var read);
                if (read != data.Length)
                {
                    throw new CryptographicException("trailing data after RSAPublicKey");
                }
            }

            var key = new DkimPublicKey(rsa, null, rsa.KeySize);
            rsa = null;
            return key;
        }
        catch (CryptographicException ex)
        {
            error = $"p= is not a valid RSA public key ({ex.Message})";
            return null;
        }
        finally
        {
            rsa?.Dispose();
        }
    }

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/> (the canonicalized header data).</summary>
    public bool Verify(DkimAlgorithm algorithm, byte[] data, byte[] signature) =>
        VerifyHash(algorithm, CryptographicOperations.HashData(algorithm == DkimAlgorithm.RsaSha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, data), signature);

    /// <summary>Verifies <paramref name="signature"/> given the hash of the canonicalized header data (SHA-1 for rsa-sha1, else SHA-256).</summary>
    /// <remarks>Safe to call from several threads at once on one key (the key is only read).</remarks>
    public bool VerifyHash(DkimAlgorithm algorithm, ReadOnlySpan<byte> digest, byte[] signature)
    {
        switch (algorithm)
        {
            case DkimAlgorithm.Ed25519Sha256 when _ed25519 is not null:
                // RFC 8463 §3: Ed25519 (PureEdDSA) signs the SHA-256 hash of the header data.
                if (signature.Length != 64)
                {
                    return false;
                }

                if (_sodium is not null)
                {
                    return NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(_sodium, digest, signature);
                }

                var signer = new Ed25519Signer();
                signer.Init(false, _ed25519);
                signer.BlockUpdate(digest);
                return signer.VerifySignature(signature);
            case DkimAlgorithm.RsaSha256 when _rsa is not null:
                return _rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            case DkimAlgorithm.RsaSha1 when _rsa is not null:
                return _rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
            default:
                return false;
        }
    }

    public void Dispose() => _rsa?.Dispose();

    /// <summary>Whether libsodium (through NSec) loads on this platform; if not, Ed25519 stays on BouncyCastle.</summary>
    private static class Sodium
    {
        public static readonly bool Available = Probe();

        private static bool Probe()
        {
            try
            {
                _ = NSec.Cryptography.SignatureAlgorithm.Ed25519.PublicKeySize;
                return true;
            }
            catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or PlatformNotSupportedException or BadImageFormatException)
            {
                return false;
            }
        }
    }
}
