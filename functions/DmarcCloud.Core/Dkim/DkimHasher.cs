using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace DmarcCloud.Core.Dkim;

/// <summary>Canonicalization and hashing of a message's header fields and body (shared by DKIM and ARC).</summary>
/// <remarks>
/// RFC 6376 §3.4 (canonicalization), §3.7 (computing the hashes), §5.4.2 (choosing header instances bottom-up).
/// MimeKit serializes the body (its DKIM body filters are internal, so canonicalization is done here);
/// header canonicalization works on each header's raw bytes (Latin-1 keeps every byte as one char).
/// One instance serves one message: the serialized body and each body hash are computed once.
/// </remarks>
internal sealed partial class DkimHasher
{
    private readonly MimeMessage _message;
    private readonly Dictionary<(DkimCanonicalization, HashAlgorithmName, long?), BodyHash> _bodyHashes = [];
    private byte[]? _body;
    private byte[]? _simple;
    private byte[]? _relaxed;

    public DkimHasher(MimeMessage message) => _message = message;

    /// <summary>Every header field of the message in its original order.</summary>
    /// <remarks>MimeKit keeps Content-* fields of the top-level entity in <c>Body.Headers</c>, not in
    /// <see cref="MimeMessage.Headers"/>; both are merged back by their parse offset.</remarks>
    public static IReadOnlyList<Header> AllHeaders(MimeMessage message)
    {
        var all = new List<Header>(message.Headers);
        if (message.Body is not null)
        {
            all.AddRange(message.Body.Headers.Where(h => !all.Contains(h)));
        }

        return all.Select((h, i) => (h, i)).OrderBy(x => x.h.Offset ?? long.MaxValue).ThenBy(x => x.i).Select(x => x.h).ToList();
    }

    /// <summary>A body hash and the length of the whole canonical body (to detect unsigned content past l=).</summary>
    public readonly record struct BodyHash(byte[] Hash, long CanonicalLength);

    public BodyHash HashBody(DkimCanonicalization canonicalization, HashAlgorithmName algorithm, long? limit)
    {
        var key = (canonicalization, algorithm, limit);
        if (_bodyHashes.TryGetValue(key, out var cached))
        {
            return cached;
        }

        _body ??= SerializeBody(_message);
        var canonical = canonicalization == DkimCanonicalization.Relaxed
            ? _relaxed ??= CanonicalizeBody(_body, relaxed: true)
            : _simple ??= CanonicalizeBody(_body, relaxed: false);
        var take = limit is { } max ? (int)Math.Min(max, canonical.Length) : canonical.Length;
        var hash = CryptographicOperations.HashData(algorithm, canonical.AsSpan(0, take));
        var result = new BodyHash(hash, canonical.Length);
        _bodyHashes[key] = result;
        return result;
    }

    /// <summary>The canonicalized header data signed by a signature: the h= headers, then the signature header with b= emptied.</summary>
    /// <param name="signedHeaders">The h= names.</param>
    /// <param name="signatureHeader">The signature header field itself (last, without CRLF).</param>
    /// <param name="canonicalization">Header canonicalization.</param>
    /// <param name="candidates">Header fields eligible for selection (ARC excludes none; DKIM uses all).</param>
    public static byte[] SignedHeaderData(
        IReadOnlyList<string> signedHeaders, Header signatureHeader, DkimCanonicalization canonicalization, IReadOnlyList<Header> candidates)
    {
        var builder = new StringBuilder();
        var used = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in signedHeaders)
        {
            // RFC 6376 §5.4.2: instances are taken from the bottom up; a name listed more often than it occurs
            // signs a "null" header (nothing is hashed for it).
            used.TryGetValue(name, out var skip);
            used[name] = skip + 1;
            var seen = 0;
            for (var i = candidates.Count - 1; i >= 0; i--)
            {
                var h = candidates[i];
                if (ReferenceEquals(h, signatureHeader) || !h.Field.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (seen++ == skip)
                {
                    builder.Append(Canonicalize(h, canonicalization, removeSignature: false));
                    break;
                }
            }
        }

        var last = Canonicalize(signatureHeader, canonicalization, removeSignature: true);
        builder.Append(last.AsSpan(0, last.Length - 2)); // without the trailing CRLF (RFC 6376 §3.7)
        return Encoding.Latin1.GetBytes(builder.ToString());
    }

    /// <summary>Canonicalizes one header field, with its CRLF; optionally with the value of b= removed.</summary>
    public static string Canonicalize(Header header, DkimCanonicalization canonicalization, bool removeSignature)
    {
        var rawValue = Encoding.Latin1.GetString(header.RawValue);
        if (removeSignature)
        {
            rawValue = SignatureValue().Replace(rawValue, "${prefix}", 1);
        }

        if (canonicalization == DkimCanonicalization.Simple)
        {
            var raw = Encoding.Latin1.GetString(header.RawField) + ":" + rawValue;
            return raw.EndsWith("\r\n", StringComparison.Ordinal) ? raw : raw.TrimEnd('\r', '\n') + "\r\n";
        }

        // RFC 6376 §3.4.2: lower-case the name, unfold, reduce WSP runs to one SP, drop WSP at the ends of the value
        // and around the colon.
        var value = rawValue.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        value = Whitespace().Replace(value, " ").Trim(' ');
        return header.Field.Trim(' ', '\t').ToLowerInvariant() + ":" + value + "\r\n";
    }

    private static byte[] SerializeBody(MimeMessage message)
    {
        if (message.Body is null)
        {
            return [];
        }

        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.Body.WriteTo(options, stream, contentOnly: true);
        return stream.ToArray();
    }

    [GeneratedRegex(@"(?<prefix>(?:^|;)[ \t\r\n]*b[ \t\r\n]*=)[^;]*", RegexOptions.CultureInvariant)]
    private static partial Regex SignatureValue();

    [GeneratedRegex(@"[ \t]+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    /// <summary>Body canonicalization of CRLF text (RFC 6376 §3.4.3 simple, §3.4.4 relaxed).</summary>
    /// <remarks>
    /// simple: empty lines at the end are dropped and the body ends in CRLF; an empty body becomes one CRLF.
    /// relaxed: additionally, WSP runs become one SP and WSP at line ends is dropped; an empty body stays empty.
    /// </remarks>
    internal static byte[] CanonicalizeBody(ReadOnlySpan<byte> body, bool relaxed)
    {
        if (!relaxed)
        {
            var end = body.Length;
            while (end >= 2 && body[end - 2] == (byte)'\r' && body[end - 1] == (byte)'\n')
            {
                end -= 2;
            }

            var simple = new byte[end + 2];
            body[..end].CopyTo(simple);
            simple[end] = (byte)'\r';
            simple[end + 1] = (byte)'\n';
            return simple;
        }

        var output = new byte[body.Length + 2];
        var length = 0;
        var contentEnd = 0; // output length up to and including the last line that is not empty
        var pos = 0;
        while (pos < body.Length)
        {
            var rest = body[pos..];
            var eol = rest.IndexOf("\r\n"u8);
            var line = eol < 0 ? rest : rest[..eol];
            pos += eol < 0 ? rest.Length : eol + 2;
            var lineStart = length;
            while (!line.IsEmpty)
            {
                var ws = line.IndexOfAny((byte)' ', (byte)'\t');
                if (ws < 0)
                {
                    line.CopyTo(output.AsSpan(length));
                    length += line.Length;
                    break;
                }

                line[..ws].CopyTo(output.AsSpan(length));
                length += ws;
                var next = line[ws..].IndexOfAnyExcept((byte)' ', (byte)'\t');
                if (next < 0)
                {
                    break; // whitespace at the end of the line is dropped
                }

                output[length++] = (byte)' ';
                line = line[(ws + next)..];
            }

            var empty = length == lineStart;
            output[length++] = (byte)'\r';
            output[length++] = (byte)'\n';
            if (!empty)
            {
                contentEnd = length;
            }
        }

        return output[..contentEnd];
    }
}
