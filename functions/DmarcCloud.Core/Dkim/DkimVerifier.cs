using System.Security.Cryptography;
using DmarcCloud.Core.Dns;
using MimeKit;

namespace DmarcCloud.Core.Dkim;

/// <summary>Verifies every DKIM-Signature header field of a message.</summary>
/// <remarks>
/// RFC 6376 §6.1, with RFC 8301 (rsa-sha1 and key-size rules) and RFC 8463 (ed25519-sha256). Work is ordered from
/// cheap to dear: tag syntax, i=/d=, h= includes From and x= expiry first; then the key lookup over DNS; then the
/// body hash; then the signature. A DNS outage yields <see cref="DkimResult.TempError"/>, never fail. Results come
/// in header order (topmost signature first). No exception escapes for bad input; cancellation is passed through.
/// </remarks>
public sealed class DkimVerifier
{
    private readonly DkimKeyLocator _locator;
    private readonly DkimVerifierOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier that fetches keys over <paramref name="dns"/>.</summary>
    public DkimVerifier(IDnsResolver dns, DkimVerifierOptions? options = null, TimeProvider? timeProvider = null)
        : this(new DkimKeyLocator(dns), options, timeProvider)
    {
    }

    /// <summary>Creates a verifier over a key locator shared with others (its parsed-key cache is shared too).</summary>
    internal DkimVerifier(DkimKeyLocator locator, DkimVerifierOptions? options, TimeProvider? timeProvider)
    {
        _locator = locator;
        _options = options ?? new DkimVerifierOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Verifies the signatures of <paramref name="message"/>; an unsigned message yields an empty list.</summary>
    public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var hasher = new DkimHasher(message);
        return await VerifyAsync(hasher, ct).ConfigureAwait(false);
    }

    /// <summary>Verifies the signatures of the message behind <paramref name="hasher"/> (shared with ARC, so each body hash is computed once).</summary>
    internal async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(DkimHasher hasher, CancellationToken ct)
    {
        var headers = hasher.Headers;
        List<Header>? signatures = null;
        var max = Math.Max(0, _options.MaxSignatures);
        foreach (var h in headers)
        {
            if (h.Id == HeaderId.DkimSignature && (signatures?.Count ?? 0) < max)
            {
                (signatures ??= []).Add(h);
            }
        }

        if (signatures is null)
        {
            return [];
        }

        var results = new List<DkimSignatureResult>(signatures.Count);
        foreach (var header in signatures)
        {
            results.Add(await VerifyOneAsync(header, headers, hasher, ct).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<DkimSignatureResult> VerifyOneAsync(Header header, IReadOnlyList<Header> headers, DkimHasher hasher, CancellationToken ct)
    {
        var value = System.Text.Encoding.Latin1.GetString(header.RawValue);
        var tags = TagList.Parse(value, out var syntaxError);
        if (tags is null)
        {
            return new(DkimResult.PermError, string.Empty, string.Empty, string.Empty, $"malformed signature: {syntaxError}");
        }

        var parsed = DkimSignature.FromTags(tags, arc: false);
        if (!parsed.Success)
        {
            return new(
                DkimResult.PermError,
                tags.GetValueOrDefault("d", string.Empty).Trim().ToLowerInvariant(),
                tags.GetValueOrDefault("s", string.Empty).Trim(),
                tags.GetValueOrDefault("a", string.Empty).Trim().ToLowerInvariant(),
                parsed.Error,
                tags.GetValueOrDefault("i")?.Trim(),
                BPrefix(TagList.RemoveWhitespace(tags.GetValueOrDefault("b", string.Empty))));
        }

        var sig = parsed.Value;
        var result = new DkimSignatureResult(
            DkimResult.PermError, sig.Domain, sig.Selector, sig.AlgorithmName, Identity: sig.Identity, SignatureBPrefix: BPrefix(sig.SignatureBase64));

        if (sig.Algorithm == DkimAlgorithm.Unknown)
        {
            return result with { Result = DkimResult.Neutral, Reason = $"unsupported algorithm a={sig.AlgorithmName}" };
        }

        if (sig.Expiration is { } x && _time.GetUtcNow() - _options.ClockSkew > DateTimeOffset.FromUnixTimeSeconds(Math.Min(x, 253402300799)))
        {
            // RFC 6376 §6.1.1: "Verifiers MAY ... return PERMFAIL (signature expired)".
            return result with { Reason = $"signature expired (x={x})" };
        }

        var (lookup, cached) = await _locator.LocateKeyAsync(sig.Selector, sig.Domain, ct).ConfigureAwait(false);
        if (lookup.Status == DkimKeyLookupStatus.TemporaryFailure)
        {
            return result with { Result = DkimResult.TempError, Reason = lookup.Error };
        }

        if (lookup.Record is not { } key)
        {
            return result with { Reason = lookup.Error };
        }

        result = result with { KeyTesting = key.Testing };
        var keyProblem = CheckKey(sig, key);
        if (keyProblem is not null)
        {
            return result with { Result = key.IsRevoked ? DkimResult.Fail : DkimResult.PermError, Reason = keyProblem };
        }

        if (key.StrictIdentity && sig.IdentityDomain != sig.Domain)
        {
            // RFC 6376 §3.6.1 t=s: "the "i=" domain MUST NOT be a subdomain of "d="".
            return result with { Reason = $"key has t=s but i= domain {sig.IdentityDomain} differs from d={sig.Domain}" };
        }

        // Parsed and imported once per record text (DkimKeyLocator's cache); shared, so not disposed here.
        var publicKey = cached?.PublicKey;
        if (publicKey is null)
        {
            return result with { Reason = $"key syntax error: {cached?.ImportError}" };
        }

        result = result with { KeyBits = publicKey.Bits };
        if (key.KeyType == DkimKeyType.Rsa && publicKey.Bits < _options.MinimumRsaKeyBits)
        {
            return result with
            {
                Result = DkimResult.Fail,
                Reason = $"RSA key of {publicKey.Bits} bits is below the {_options.MinimumRsaKeyBits}-bit minimum (RFC 8301 §3.2)",
            };
        }

        var hashName = sig.Algorithm == DkimAlgorithm.RsaSha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var body = hasher.HashBody(sig.BodyCanonicalization, hashName, sig.BodyLength);
        if (sig.BodyLength is { } l && l > body.CanonicalLength)
        {
            return result with { Result = DkimResult.Fail, Reason = $"l={l} is longer than the canonicalized body ({body.CanonicalLength} octets)" };
        }

        result = result with { BodyLengthLimited = sig.BodyLength is { } limit && limit < body.CanonicalLength };
        if (!CryptographicOperations.FixedTimeEquals(body.Hash, sig.BodyHash))
        {
            return result with { Result = DkimResult.Fail, Reason = "body hash did not verify" };
        }

        var digest = DkimHasher.SignedHeaderHash(sig.SignedHeaders, header, sig.HeaderCanonicalization, headers, hashName);
        if (!publicKey.VerifyHash(sig.Algorithm, digest, sig.Signature))
        {
            return result with { Result = DkimResult.Fail, Reason = "signature did not verify" };
        }

        if (sig.Algorithm == DkimAlgorithm.RsaSha1 && !_options.AcceptRsaSha1)
        {
            return result with { Result = DkimResult.Policy, Reason = "rsa-sha1 signature verified but is not accepted (RFC 8301 §3.1)" };
        }

        return result with
        {
            Result = DkimResult.Pass,
            Reason = result.BodyLengthLimited ? $"verified; body has content beyond l={sig.BodyLength} that is not signed" : null,
        };
    }

    /// <summary>Checks a key record against a signature: revocation, key type, hash algorithms, service type.</summary>
    /// <returns>Null when the key may be used, otherwise the reason.</returns>
    internal static string? CheckKey(DkimSignature sig, DkimKeyRecord key)
    {
        if (key.IsRevoked)
        {
            return "key revoked (empty p=)";
        }

        var wanted = sig.Algorithm == DkimAlgorithm.Ed25519Sha256 ? DkimKeyType.Ed25519 : DkimKeyType.Rsa;
        if (key.KeyType != wanted)
        {
            // RFC 6376 §6.1.2: "PERMFAIL (inappropriate key algorithm)".
            return $"key type k={key.KeyTypeName} does not match a={sig.AlgorithmName}";
        }

        var hash = sig.Algorithm == DkimAlgorithm.RsaSha1 ? "sha1" : "sha256";
        if (key.HashAlgorithms is { } allowed && !allowed.Contains(hash))
        {
            // RFC 6376 §6.1.2: "PERMFAIL (inappropriate hash algorithm)".
            return $"key record h={string.Join(':', allowed)} does not allow {hash}";
        }

        if (!key.AllowsEmail)
        {
            return $"key record s={string.Join(':', key.ServiceTypes)} does not allow email";
        }

        return null;
    }

    private static string BPrefix(string b64) => b64.Length <= 12 ? b64 : b64[..12];
}
