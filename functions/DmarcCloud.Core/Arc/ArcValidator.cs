using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using MimeKit;

namespace DmarcCloud.Core.Arc;

/// <summary>Validates the ARC chain of a message (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results sets).</summary>
/// <remarks>
/// RFC 8617 §5.2, in its order: collect the ARC sets and check their structure (instances 1..N, one field of each
/// kind per instance, cv=none only at i=1 and cv=pass above it); a highest seal with cv=fail ends the chain as fail;
/// validate the newest ARC-Message-Signature; walk older message signatures to find the oldest-pass; validate every
/// ARC-Seal from N down to 1. Keys come from the same <c>selector._domainkey.domain</c> records as DKIM.
/// A DNS outage while fetching a key yields <see cref="ArcChainStatus.Fail"/> with
/// <see cref="ArcValidationResult.TemporaryFailure"/> set: cv= has no temperror value (RFC 8617 §4.4), and §5.2 says any
/// seal or signature that cannot be validated fails the chain; the flag lets a caller retry rather than act on it.
/// </remarks>
public sealed class ArcValidator
{
    private readonly DkimKeyLocator _locator;
    private readonly ArcValidatorOptions _options;

    // An AMS has the DKIM-Signature tags (RFC 8617 §4.1.2), so an x= on it is honoured as in DKIM (RFC 6376 §3.5).
    private readonly TimeProvider _time;

    /// <summary>Creates a validator that fetches keys over <paramref name="dns"/>.</summary>
    public ArcValidator(IDnsResolver dns, ArcValidatorOptions? options = null, TimeProvider? timeProvider = null)
        : this(new DkimKeyLocator(dns), options, timeProvider)
    {
    }

    /// <summary>Creates a validator over a key locator shared with DKIM (its parsed-key cache is shared too).</summary>
    internal ArcValidator(DkimKeyLocator locator, ArcValidatorOptions? options, TimeProvider? timeProvider)
    {
        _locator = locator;
        _options = options ?? new ArcValidatorOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Validates the chain of <paramref name="message"/>.</summary>
    public async Task<ArcValidationResult> ValidateAsync(MimeMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var hasher = new DkimHasher(message);
        return await ValidateAsync(hasher, ct).ConfigureAwait(false);
    }

    /// <summary>Validates the chain of the message behind <paramref name="hasher"/> (shared with DKIM, so each body hash is computed once).</summary>
    internal async Task<ArcValidationResult> ValidateAsync(DkimHasher hasher, CancellationToken ct)
    {
        var headers = hasher.Headers;
        var seals = new List<(int Instance, Header Header, Dictionary<string, string> Tags)>();
        var signatures = new List<(int Instance, Header Header, DkimSignature Signature)>();
        var results = new List<(int Instance, Header Header, string Payload)>();

        foreach (var header in headers)
        {
            // Most fields are not ARC fields: rule them out without allocating.
            var field = header.Field.AsSpan().Trim();
            if (!field.StartsWith("arc-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var kind = field.ToString().ToLowerInvariant();
            if (kind is not ("arc-seal" or "arc-message-signature" or "arc-authentication-results"))
            {
                continue;
            }

            var value = Encoding.Latin1.GetString(header.RawValue);
            switch (kind)
            {
                case "arc-seal":
                    var seal = ParseSeal(value, out var sealError);
                    if (seal is null)
                    {
                        return Broken($"malformed ARC-Seal: {sealError}");
                    }

                    seals.Add((DkimInstance(seal["i"]), header, seal));
                    break;
                case "arc-message-signature":
                    var ams = DkimSignature.Parse(value, arc: true);
                    if (!ams.Success)
                    {
                        return Broken($"malformed ARC-Message-Signature: {ams.Error}");
                    }

                    signatures.Add((ams.Value.Instance!.Value, header, ams.Value));
                    break;
                default:
                    var aar = ParseResults(value);
                    if (aar is null)
                    {
                        return Broken("malformed ARC-Authentication-Results: no valid \"i=<n>;\" prefix");
                    }

                    results.Add((aar.Value.Instance, header, aar.Value.Payload));
                    break;
            }
        }

        if (seals.Count + signatures.Count + results.Count == 0)
        {
            return ArcValidationResult.NoChain;
        }

        // RFC 8617 §5.2 step 1 and §4.2.1: instances 1..N with exactly one field of each kind, N at most 50.
        var n = seals.Select(x => x.Instance).Concat(signatures.Select(x => x.Instance)).Concat(results.Select(x => x.Instance)).Max();
        if (n > _options.MaxInstances)
        {
            return Broken($"{n} ARC sets exceed the limit of {_options.MaxInstances}");
        }

        var hops = new List<ArcHop>(n);
        for (var i = 1; i <= n; i++)
        {
            var (s, m, r) = (seals.Count(x => x.Instance == i), signatures.Count(x => x.Instance == i), results.Count(x => x.Instance == i));
            if (s != 1 || m != 1 || r != 1)
            {
                return Broken($"ARC set i={i} has {s} ARC-Seal, {m} ARC-Message-Signature and {r} ARC-Authentication-Results (one of each required)", i);
            }

            var sealTags = seals.Single(x => x.Instance == i).Tags;
            hops.Add(new ArcHop(i, sealTags["d"].Trim().ToLowerInvariant(), sealTags["s"].Trim(), results.Single(x => x.Instance == i).Payload, false, false));
        }

        ArcValidationResult Fail(string reason, int? instance, bool temporary = false) =>
            new(ArcChainStatus.Fail, hops, instance, null, reason) { TemporaryFailure = temporary };

        // §5.2 step 2: "If the Chain Validation Status of the highest instance is Fail, then the chain is Fail."
        var cvs = Enumerable.Range(1, n).Select(i => seals.Single(x => x.Instance == i).Tags["cv"].Trim().ToLowerInvariant()).ToArray();
        if (cvs[n - 1] == "fail")
        {
            return Fail($"ARC-Seal i={n} records cv=fail", n);
        }

        // §5.1.1 / §4.1.3: cv=none for i=1 only, cv=pass for every later instance.
        for (var i = 1; i <= n; i++)
        {
            var expected = i == 1 ? "none" : "pass";
            if (cvs[i - 1] != expected)
            {
                return Fail($"ARC-Seal i={i} has cv={cvs[i - 1]}, expected cv={expected}", i);
            }
        }

        // §5.2 step 3: the newest AMS must validate.
        var newest = await CheckMessageSignatureAsync(signatures.Single(x => x.Instance == n), headers, hasher, ct).ConfigureAwait(false);
        if (newest.Error is not null)
        {
            return Fail($"ARC-Message-Signature i={n}: {newest.Error}", n, newest.Temporary);
        }

        hops[n - 1] = hops[n - 1] with { MessageSignatureValid = true };

        // §5.2 step 4: oldest-pass, the lowest instance from which every AMS up to N still validates.
        var oldestPass = n;
        for (var i = n - 1; i >= 1; i--)
        {
            var check = await CheckMessageSignatureAsync(signatures.Single(x => x.Instance == i), headers, hasher, ct).ConfigureAwait(false);
            if (check.Error is not null)
            {
                break;
            }

            hops[i - 1] = hops[i - 1] with { MessageSignatureValid = true };
            oldestPass = i;
        }

        // §5.2 step 5: every AS from N down to 1 must validate.
        for (var i = n; i >= 1; i--)
        {
            var check = await CheckSealAsync(i, seals, signatures, results, ct).ConfigureAwait(false);
            if (check.Error is not null)
            {
                return Fail($"ARC-Seal i={i}: {check.Error}", i, check.Temporary) with { OldestPass = oldestPass };
            }

            hops[i - 1] = hops[i - 1] with { SealValid = true };
        }

        return new ArcValidationResult(ArcChainStatus.Pass, hops, null, oldestPass);
    }

    private static ArcValidationResult Broken(string reason, int? instance = null) =>
        new(ArcChainStatus.Fail, [], instance, null, reason);

    private static int DkimInstance(string text) =>
        int.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>ARC-Seal tags (RFC 8617 §4.1.3): i, a, b, cv, d, s required; t optional; h= is forbidden.</summary>
    private static Dictionary<string, string>? ParseSeal(string value, out string? error)
    {
        var tags = TagList.Parse(value, out error);
        if (tags is null)
        {
            return null;
        }

        var missing = new[] { "i", "a", "b", "cv", "d", "s" }.FirstOrDefault(t => !tags.ContainsKey(t));
        if (missing is not null)
        {
            error = $"missing required tag {missing}=";
            return null;
        }

        if (tags.ContainsKey("h"))
        {
            error = "h= is not allowed in an ARC-Seal (RFC 8617 §4.1.3)";
            return null;
        }

        if (!DkimSignature.TryParseInstance(tags["i"], out _))
        {
            error = $"invalid instance i={tags["i"]}";
            return null;
        }

        if (tags["cv"].Trim().ToLowerInvariant() is not ("none" or "pass" or "fail"))
        {
            error = $"invalid cv={tags["cv"]}";
            return null;
        }

        if (!DkimSignature.IsDomain(tags["d"].Trim().ToLowerInvariant()) || !DkimSignature.IsDomain(tags["s"].Trim().ToLowerInvariant()))
        {
            error = "invalid d= or s=";
            return null;
        }

        if (tags.TryGetValue("t", out var t) && !long.TryParse(t.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            error = $"invalid timestamp t={t}";
            return null;
        }

        return tags;
    }

    /// <summary>ARC-Authentication-Results (RFC 8617 §4.1.1): "i=" instance ";" then an Authentication-Results payload.</summary>
    private static (int Instance, string Payload)? ParseResults(string value)
    {
        var text = value.Trim(' ', '\t', '\r', '\n');
        var semi = text.IndexOf(';', StringComparison.Ordinal);
        if (semi < 0)
        {
            return null;
        }

        var prefix = text[..semi].Trim(' ', '\t', '\r', '\n');
        if (!prefix.StartsWith("i", StringComparison.Ordinal))
        {
            return null;
        }

        var eq = prefix.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0 || prefix[1..eq].Trim(' ', '\t', '\r', '\n').Length != 0 || !DkimSignature.TryParseInstance(prefix[(eq + 1)..], out var instance))
        {
            return null;
        }

        return (instance, text[(semi + 1)..].Trim(' ', '\t', '\r', '\n'));
    }

    private async Task<Check> CheckMessageSignatureAsync(
        (int Instance, Header Header, DkimSignature Signature) ams, IReadOnlyList<Header> headers, DkimHasher hasher, CancellationToken ct)
    {
        var sig = ams.Signature;
        if (sig.Expiration is { } x && _time.GetUtcNow() - TimeSpan.FromMinutes(5) > DateTimeOffset.FromUnixTimeSeconds(Math.Min(x, 253402300799)))
        {
            return new($"signature expired (x={x})", false);
        }

        var key = await GetKeyAsync(sig.Algorithm, sig.AlgorithmName, sig.Selector, sig.Domain, ct).ConfigureAwait(false);
        if (key.Error is not null)
        {
            return new(key.Error, key.Temporary);
        }

        var publicKey = key.Key!;
        var body = hasher.HashBody(sig.BodyCanonicalization, HashAlgorithmName.SHA256, sig.BodyLength);
        if (sig.BodyLength is { } l && l > body.CanonicalLength)
        {
            return new($"l={l} is longer than the body", false);
        }

        if (!CryptographicOperations.FixedTimeEquals(body.Hash, sig.BodyHash))
        {
            return new("body hash did not verify", false);
        }

        var digest = DkimHasher.SignedHeaderHash(sig.SignedHeaders, ams.Header, sig.HeaderCanonicalization, headers, HashAlgorithmName.SHA256);
        return publicKey.VerifyHash(sig.Algorithm, digest, sig.Signature) ? Check.Ok : new("signature did not verify", false);
    }

    private async Task<Check> CheckSealAsync(
        int instance,
        List<(int Instance, Header Header, Dictionary<string, string> Tags)> seals,
        List<(int Instance, Header Header, DkimSignature Signature)> signatures,
        List<(int Instance, Header Header, string Payload)> results,
        CancellationToken ct)
    {
        var seal = seals.Single(x => x.Instance == instance);
        var algorithmName = seal.Tags["a"].Trim().ToLowerInvariant();
        var algorithm = algorithmName switch
        {
            "rsa-sha256" => DkimAlgorithm.RsaSha256,
            "ed25519-sha256" => DkimAlgorithm.Ed25519Sha256,
            _ => DkimAlgorithm.Unknown,
        };
        var b64 = TagList.RemoveWhitespace(seal.Tags["b"]);
        if (b64.Length == 0 || !DkimSignature.TryBase64(b64, out var signature))
        {
            return new("b= is empty or not valid base64", false);
        }

        var key = await GetKeyAsync(algorithm, algorithmName, seal.Tags["s"].Trim(), seal.Tags["d"].Trim().ToLowerInvariant(), ct).ConfigureAwait(false);
        if (key.Error is not null)
        {
            return new(key.Error, key.Temporary);
        }

        // RFC 8617 §5.1.1: the seal signs, for i = 1..instance, AAR(i), AMS(i), AS(i) in relaxed header
        // canonicalization, the last AS with an empty b= and without its trailing CRLF.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 1; i <= instance; i++)
        {
            DkimHasher.WriteCanonical(results.Single(x => x.Instance == i).Header, DkimCanonicalization.Relaxed, removeSignature: false, withCrLf: true, hash.AppendData);
            DkimHasher.WriteCanonical(signatures.Single(x => x.Instance == i).Header, DkimCanonicalization.Relaxed, removeSignature: false, withCrLf: true, hash.AppendData);
            DkimHasher.WriteCanonical(seals.Single(x => x.Instance == i).Header, DkimCanonicalization.Relaxed, removeSignature: i == instance, withCrLf: i != instance, hash.AppendData);
        }

        var publicKey = key.Key!;
        return publicKey.VerifyHash(algorithm, hash.GetHashAndReset(), signature) ? Check.Ok : new("seal did not verify", false);
    }

    private async Task<KeyResult> GetKeyAsync(DkimAlgorithm algorithm, string algorithmName, string selector, string domain, CancellationToken ct)
    {
        if (algorithm is not (DkimAlgorithm.RsaSha256 or DkimAlgorithm.Ed25519Sha256))
        {
            // RFC 8617 §4.1.3/§4.1.2 use the DKIM algorithms; rsa-sha1 is not valid (RFC 8301 §3.1).
            return new(null, $"unsupported algorithm a={algorithmName}", false);
        }

        var (lookup, cached) = await _locator.LocateKeyAsync(selector, domain, ct).ConfigureAwait(false);
        if (lookup.Status == DkimKeyLookupStatus.TemporaryFailure)
        {
            return new(null, $"temperror: {lookup.Error}", true);
        }

        if (lookup.Record is not { } record)
        {
            return new(null, lookup.Error, false);
        }

        var probe = new DkimSignature
        {
            AlgorithmName = algorithmName,
            Algorithm = algorithm,
            Signature = [],
            SignatureBase64 = string.Empty,
            BodyHash = [],
            HeaderCanonicalization = DkimCanonicalization.Relaxed,
            BodyCanonicalization = DkimCanonicalization.Relaxed,
            Domain = domain,
            SignedHeaders = [],
            Selector = selector,
        };
        var problem = DkimVerifier.CheckKey(probe, record);
        if (problem is not null)
        {
            return new(null, problem, false);
        }

        // Parsed and imported once per record text (DkimKeyLocator's cache); shared, so never disposed here.
        var key = cached?.PublicKey;
        if (key is null)
        {
            return new(null, $"key syntax error: {cached?.ImportError}", false);
        }

        if (record.KeyType == DkimKeyType.Rsa && key.Bits < _options.MinimumRsaKeyBits)
        {
            return new(null, $"RSA key of {key.Bits} bits is below the {_options.MinimumRsaKeyBits}-bit minimum", false);
        }

        return new(key, null, false);
    }

    private sealed record Check(string? Error, bool Temporary)
    {
        public static Check Ok { get; } = new(null, false);
    }

    private sealed record KeyResult(DkimPublicKey? Key, string? Error, bool Temporary);
}
