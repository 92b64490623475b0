namespace DmarcCloud.Core.Dkim;

/// <summary>A parsed DKIM public key record (the TXT record at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>).</summary>
/// <remarks>
/// RFC 6376 §3.6.1. A record split over several TXT character-strings is their concatenation (§3.6.2.2).
/// v= is optional but, when present, must be "DKIM1" and the first tag; k= defaults to rsa; an empty p= means
/// the key was revoked; h= limits the hash algorithms; s= limits the service types ("*" or "email" for mail);
/// t=y marks a domain testing DKIM, t=s forbids i= subdomains of d=.
/// </remarks>
public sealed record DkimKeyRecord
{
    /// <summary>"k": the key type as written (default "rsa").</summary>
    public required string KeyTypeName { get; init; }

    /// <summary>"k": the key type.</summary>
    public required DkimKeyType KeyType { get; init; }

    /// <summary>"p": the public key bytes; empty when the key is revoked.</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>"h": acceptable hash algorithms, or null when any is acceptable.</summary>
    public IReadOnlyList<string>? HashAlgorithms { get; init; }

    /// <summary>"s": service types (default "*").</summary>
    public IReadOnlyList<string> ServiceTypes { get; init; } = ["*"];

    /// <summary>"t=y": the domain is testing DKIM.</summary>
    public bool Testing { get; init; }

    /// <summary>"t=s": the i= domain must equal d= exactly.</summary>
    public bool StrictIdentity { get; init; }

    /// <summary>"p=" was empty: RFC 6376 §3.6.1 "An empty value means that this public key has been revoked."</summary>
    public bool IsRevoked => PublicKey.Length == 0;

    /// <summary>The record may be used for email (s= is "*" or includes "email").</summary>
    public bool AllowsEmail => ServiceTypes.Any(s => s is "*" || s.Equals("email", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses the text of a key record (TXT strings already joined).</summary>
    public static DkimParseResult<DkimKeyRecord> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        static DkimParseResult<DkimKeyRecord> Fail(string e) => DkimParseResult<DkimKeyRecord>.Fail(e);

        var tags = TagList.Parse(text, out var error);
        if (tags is null)
        {
            return Fail($"malformed key record: {error}");
        }

        if (tags.TryGetValue("v", out var v))
        {
            if (v != "DKIM1")
            {
                return Fail($"unsupported key record version v={v}");
            }

            if (!text.TrimStart(' ', '\t').StartsWith('v'))
            {
                return Fail("v= is not the first tag of the key record");
            }
        }

        if (!tags.TryGetValue("p", out var p))
        {
            return Fail("key record has no p= tag");
        }

        var keyBytes = Array.Empty<byte>();
        var p64 = TagList.RemoveWhitespace(p);
        if (p64.Length > 0 && !DkimSignature.TryBase64(p64, out keyBytes))
        {
            return Fail("p= is not valid base64");
        }

        var k = tags.TryGetValue("k", out var kv) ? kv.ToLowerInvariant() : "rsa";
        var keyType = k switch
        {
            "rsa" => DkimKeyType.Rsa,
            "ed25519" => DkimKeyType.Ed25519,
            _ => DkimKeyType.Unknown,
        };

        var flags = tags.TryGetValue("t", out var t) ? Split(t) : [];
        return DkimParseResult<DkimKeyRecord>.Ok(new DkimKeyRecord
        {
            KeyTypeName = k,
            KeyType = keyType,
            PublicKey = keyBytes,
            HashAlgorithms = tags.TryGetValue("h", out var h) ? Split(h).Select(x => x.ToLowerInvariant()).ToArray() : null,
            ServiceTypes = tags.TryGetValue("s", out var s) ? Split(s) : ["*"],
            Testing = flags.Contains("y", StringComparer.OrdinalIgnoreCase),
            StrictIdentity = flags.Contains("s", StringComparer.OrdinalIgnoreCase),
        });
    }

    private static string[] Split(string list) =>
        list.Split(':').Select(x => x.Trim(' ', '\t', '\r', '\n')).Where(x => x.Length > 0).ToArray();
}
