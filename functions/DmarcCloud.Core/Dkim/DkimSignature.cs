using System.Globalization;

namespace DmarcCloud.Core.Dkim;

/// <summary>A parsed DKIM-Signature (or ARC-Message-Signature) header field. Fields name their tag.</summary>
/// <remarks>
/// RFC 6376 §3.5. Required tags: v, a, b, bh, d, h, s (an ARC-Message-Signature, RFC 8617 §4.1.2, has no v= and
/// its i= is the ARC instance number). Parsing is pure: it checks syntax and the rules that need no DNS
/// (i= within d=, h= includes From, x= not before t=).
/// </remarks>
public sealed record DkimSignature
{
    /// <summary>"a": the algorithm as written, lower-case.</summary>
    public required string AlgorithmName { get; init; }

    /// <summary>"a": the algorithm, <see cref="DkimAlgorithm.Unknown"/> if not implemented.</summary>
    public required DkimAlgorithm Algorithm { get; init; }

    /// <summary>"b": the signature.</summary>
    public required byte[] Signature { get; init; }

    /// <summary>"b": the base64 text with whitespace removed (for Authentication-Results <c>header.b</c>).</summary>
    public required string SignatureBase64 { get; init; }

    /// <summary>"bh": the body hash.</summary>
    public required byte[] BodyHash { get; init; }

    /// <summary>"c" (header part): default simple.</summary>
    public required DkimCanonicalization HeaderCanonicalization { get; init; }

    /// <summary>"c" (body part): default simple.</summary>
    public required DkimCanonicalization BodyCanonicalization { get; init; }

    /// <summary>"d": the signing domain, lower-case.</summary>
    public required string Domain { get; init; }

    /// <summary>"h": the signed header field names, in order, as written.</summary>
    public required IReadOnlyList<string> SignedHeaders { get; init; }

    /// <summary>"i": the agent or user identifier (DKIM only; null when absent, meaning "@d").</summary>
    public string? Identity { get; init; }

    /// <summary>"i": the ARC instance number (ARC-Message-Signature only).</summary>
    public int? Instance { get; init; }

    /// <summary>"l": the number of canonicalized body octets signed, or null for the whole body.</summary>
    public long? BodyLength { get; init; }

    /// <summary>"s": the selector.</summary>
    public required string Selector { get; init; }

    /// <summary>"t": signing time, seconds since the Unix epoch.</summary>
    public long? Timestamp { get; init; }

    /// <summary>"x": expiry, seconds since the Unix epoch.</summary>
    public long? Expiration { get; init; }

    /// <summary>The domain of <see cref="Identity"/> (or <see cref="Domain"/> when there is no i=).</summary>
    public string IdentityDomain =>
        Identity is null ? Domain : Identity[(Identity.LastIndexOf('@') + 1)..].ToLowerInvariant();

    /// <summary>Parses the value of a DKIM-Signature header field.</summary>
    public static DkimParseResult<DkimSignature> Parse(string headerValue) => Parse(headerValue, arc: false);

    /// <summary>Parses a DKIM-Signature value, or an ARC-Message-Signature value when <paramref name="arc"/>.</summary>
    internal static DkimParseResult<DkimSignature> Parse(string headerValue, bool arc)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        var tags = TagList.Parse(headerValue, out var syntaxError);
        if (tags is null)
        {
            return DkimParseResult<DkimSignature>.Fail($"malformed tag list: {syntaxError}");
        }

        return FromTags(tags, arc);
    }

    /// <summary>
    /// Builds the signature from its tags in the order of RFC 6376 §3.5 and §6.1.1: required tags and version, sizes
    /// before any decoding, the hashes, canonicalization, signer, signed header fields, identity, times, query method.
    /// The first problem found is the result.
    /// </summary>
    internal static DkimParseResult<DkimSignature> FromTags(Dictionary<string, string> tags, bool arc)
    {
        static DkimParseResult<DkimSignature> Fail(string error) => DkimParseResult<DkimSignature>.Fail(error);

        if (CheckRequired(tags, arc, out var instance) is { } required)
        {
            return Fail(required);
        }

        if (CheckSizes(tags, out var b64) is { } size)
        {
            return Fail(size);
        }

        if (ReadHashes(tags, b64, out var signature, out var bodyHash) is { } hashes)
        {
            return Fail(hashes);
        }

        if (ReadCanonicalization(tags, arc, out var headerCanon, out var bodyCanon) is { } canonicalization)
        {
            return Fail(canonicalization);
        }

        if (ReadSigner(tags, out var domain, out var selector) is { } signer)
        {
            return Fail(signer);
        }

        if (ReadSignedHeaders(tags, arc, out var signedHeaders) is { } headers)
        {
            return Fail(headers);
        }

        if (ReadIdentity(tags, arc, domain, out var identity) is { } identityError)
        {
            return Fail(identityError);
        }

        if (ReadTimes(tags, out var length, out var timestamp, out var expiration) is { } times)
        {
            return Fail(times);
        }

        if (CheckQueryMethod(tags) is { } query)
        {
            return Fail(query);
        }

        var algorithmName = tags["a"].ToLowerInvariant();
        return DkimParseResult<DkimSignature>.Ok(new DkimSignature
        {
            AlgorithmName = algorithmName,
            Algorithm = algorithmName switch
            {
                "rsa-sha256" => DkimAlgorithm.RsaSha256,
                "rsa-sha1" => DkimAlgorithm.RsaSha1,
                "ed25519-sha256" => DkimAlgorithm.Ed25519Sha256,
                _ => DkimAlgorithm.Unknown,
            },
            Signature = signature,
            SignatureBase64 = b64,
            BodyHash = bodyHash,
            HeaderCanonicalization = headerCanon,
            BodyCanonicalization = bodyCanon,
            Domain = domain,
            SignedHeaders = signedHeaders,
            Identity = identity,
            Instance = instance,
            BodyLength = length,
            Selector = selector,
            Timestamp = timestamp,
            Expiration = expiration,
        });
    }
    /// <summary>The required tags (RFC 6376 §3.5; an AMS has i= and no v=, RFC 8617 §4.1.2), v=1, and the ARC instance.</summary>
    private static string? CheckRequired(Dictionary<string, string> tags, bool arc, out int? instance)
    {
        instance = null;
        string[] required = arc ? ["i", "a", "b", "bh", "d", "h", "s"] : ["v", "a", "b", "bh", "d", "h", "s"];
        if (required.FirstOrDefault(t => !tags.ContainsKey(t)) is { } missing)
        {
            return $"missing required tag {missing}=";
        }

        if (!arc && tags["v"] != "1")
        {
            return $"unsupported version v={tags["v"]}";
        }

        if (arc)
        {
            if (!TryParseInstance(tags["i"], out var i))
            {
                return $"invalid instance i={tags["i"]}";
            }

            instance = i;
        }

        return null;
    }

    /// <summary>Sizes before any decoding (docs/limits.md): the largest RSA key in use gives under 3,000 characters of b=.</summary>
    private static string? CheckSizes(Dictionary<string, string> tags, out string b64)
    {
        b64 = TagList.RemoveWhitespace(tags["b"]);
        if (b64.Length > Mime.MessageLimits.MaxDkimSignatureBase64Length)
        {
            return $"b= is {b64.Length} characters, over the limit of {Mime.MessageLimits.MaxDkimSignatureBase64Length}";
        }

        var signedCount = tags["h"].AsSpan().Count(':') + 1;
        return signedCount > Mime.MessageLimits.MaxDkimSignedHeaders
            ? $"h= lists {signedCount} header fields, over the limit of {Mime.MessageLimits.MaxDkimSignedHeaders}"
            : null;
    }

    /// <summary>b= and bh=: non-empty base64.</summary>
    private static string? ReadHashes(Dictionary<string, string> tags, string b64, out byte[] signature, out byte[] bodyHash)
    {
        bodyHash = [];
        if (b64.Length == 0 || !TryBase64(b64, out signature))
        {
            signature = [];
            return "b= is empty or not valid base64";
        }

        return !TryBase64(TagList.RemoveWhitespace(tags["bh"]), out bodyHash) || bodyHash.Length == 0
            ? "bh= is empty or not valid base64"
            : null;
    }

    /// <summary>
    /// c=: DKIM defaults to simple/simple (RFC 6376 §3.5). For an AMS without c= the ValiMail suite (ams_fields_c_na,
    /// generated with dkimpy's ARC code) expects relaxed/relaxed; see docs/conformance.md "DKIM and ARC".
    /// </summary>
    private static string? ReadCanonicalization(Dictionary<string, string> tags, bool arc, out DkimCanonicalization header, out DkimCanonicalization body)
    {
        header = arc ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
        body = arc ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
        if (!tags.TryGetValue("c", out var c))
        {
            return null;
        }

        var parts = c.Split('/');
        return parts.Length > 2 || !TryCanon(parts[0], out header) || (parts.Length == 2 && !TryCanon(parts[1], out body))
            ? $"unknown canonicalization c={c}"
            : null;
    }

    /// <summary>d= (lower-case) and s=: domain names.</summary>
    private static string? ReadSigner(Dictionary<string, string> tags, out string domain, out string selector)
    {
        domain = tags["d"].Trim().ToLowerInvariant();
        selector = tags["s"].Trim();
        return !IsDomain(domain) ? $"invalid signing domain d={tags["d"]}"
            : !IsDomain(selector.ToLowerInvariant()) ? $"invalid selector s={tags["s"]}"
            : null;
    }

    /// <summary>h=: valid names; From signed (RFC 6376 §5.4, §6.1.1); no ARC-Seal in an AMS (RFC 8617 §4.1.2).</summary>
    private static string? ReadSignedHeaders(Dictionary<string, string> tags, bool arc, out string[] signedHeaders)
    {
        signedHeaders = tags["h"].Split(':').Select(h => h.Trim(' ', '\t', '\r', '\n')).ToArray();
        if (arc)
        {
            // The ARC suite (ams_fields_h_empty, ams_fields_h_mis_hdr) expects an empty h= or an empty name in it to be
            // tolerated: an empty name selects no header field, like a name that is absent (RFC 6376 §5.4).
            signedHeaders = signedHeaders.Where(h => h.Length > 0).ToArray();
        }

        if (signedHeaders.Any(h => h.Length == 0 || h.Any(ch => ch <= ' ' || ch > '~')))
        {
            return "h= holds an empty or invalid header field name";
        }

        if (!arc && !signedHeaders.Contains("from", StringComparer.OrdinalIgnoreCase))
        {
            // RFC 6376 §5.4: "The From header field MUST be signed"; §6.1.1: verifiers MUST return PERMFAIL otherwise.
            return "h= does not include From";
        }

        // RFC 8617 §4.1.2: the AMS "MUST NOT include ARC-Seal header fields" in h=.
        return arc && signedHeaders.Contains("arc-seal", StringComparer.OrdinalIgnoreCase) ? "h= includes ARC-Seal" : null;
    }

    /// <summary>i= (DKIM only): an address whose domain is d= or below it (RFC 6376 §6.1.1).</summary>
    private static string? ReadIdentity(Dictionary<string, string> tags, bool arc, string domain, out string? identity)
    {
        identity = null;
        if (arc || !tags.TryGetValue("i", out var i))
        {
            return null;
        }

        identity = i.Trim();
        var at = identity.LastIndexOf('@');
        if (at < 0)
        {
            return $"i={identity} has no '@'";
        }

        var idDomain = identity[(at + 1)..].ToLowerInvariant();

        // RFC 6376 §6.1.1: "If the domain in i= is not the same as, or a subdomain of, d= ... PERMFAIL (domain mismatch)".
        return idDomain != domain && !idDomain.EndsWith("." + domain, StringComparison.Ordinal)
            ? $"i= domain {idDomain} is not within d={domain}"
            : null;
    }

    /// <summary>l=, t= and x=: decimal numbers; x= not before t= (RFC 6376 §3.5).</summary>
    private static string? ReadTimes(Dictionary<string, string> tags, out long? length, out long? timestamp, out long? expiration)
    {
        length = timestamp = expiration = null;
        if (!TryOptionalNumber(tags, "l", out length))
        {
            return $"invalid body length l={tags["l"]}";
        }

        if (!TryOptionalNumber(tags, "t", out timestamp))
        {
            return $"invalid timestamp t={tags["t"]}";
        }

        if (!TryOptionalNumber(tags, "x", out expiration))
        {
            return $"invalid expiration x={tags["x"]}";
        }

        // RFC 6376 §3.5 x=: "the value of the x= tag MUST be greater than the value of the t= tag".
        return expiration < timestamp ? "x= is earlier than t=" : null;
    }

    private static bool TryOptionalNumber(Dictionary<string, string> tags, string tag, out long? value)
    {
        value = null;
        if (!tags.TryGetValue(tag, out var text))
        {
            return true;
        }

        if (!TryParseNumber(text, out var number))
        {
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>q=: dns/txt among the methods (RFC 6376 §3.5).</summary>
    private static string? CheckQueryMethod(Dictionary<string, string> tags) =>
        tags.TryGetValue("q", out var q) && !q.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase))
            ? $"unsupported query method q={q}"
            : null;

    internal static bool TryParseInstance(string text, out int instance) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out instance) && instance is >= 1 and <= 50;

    internal static bool TryBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }

    internal static bool IsDomain(string name) =>
        name.Length is > 0 and <= 253 && !name.StartsWith('.') && !name.EndsWith('.') && !name.Contains("..", StringComparison.Ordinal) &&
        name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '_');

    private static bool TryParseNumber(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) || TryBigNumber(text.Trim(), out value);

    // RFC 6376 §3.5: t= and x= are up to 12 digits, l= up to 76 digits; a value too large for a long saturates.
    private static bool TryBigNumber(string text, out long value)
    {
        value = long.MaxValue;
        return text.Length > 0 && text.All(char.IsAsciiDigit);
    }

    private static bool TryCanon(string text, out DkimCanonicalization canon)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "simple":
                canon = DkimCanonicalization.Simple;
                return true;
            case "relaxed":
                canon = DkimCanonicalization.Relaxed;
                return true;
            default:
                canon = DkimCanonicalization.Simple;
                return false;
        }
    }
}
