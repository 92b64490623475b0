using System.Security.Cryptography;
using System.Text;
using System.Buffers;
using MimeKit;

namespace DmarcCloud.Core.Dkim;

/// <summary>Canonicalization and hashing of a message's header fields and body (shared by DKIM and ARC).</summary>
/// <remarks>
/// RFC 6376 §3.4 (canonicalization), §3.7 (computing the hashes), §5.4.2 (choosing header instances bottom-up).
/// MimeKit serializes the body (its DKIM body filters are internal, so canonicalization is done here);
/// header canonicalization works on each header's raw bytes (Latin-1 keeps every byte as one char).
/// One instance serves one message: the serialized body and each body hash are computed once.
/// </remarks>
internal sealed class DkimHasher : IDisposable
{
    private static readonly FormatOptions DosFormat = CreateDosFormat();

    private readonly MimeMessage? _message;
    private readonly ReadOnlyMemory<byte> _rawBody;
    private readonly Dictionary<(DkimCanonicalization, HashAlgorithmName, long?), BodyHash> _bodyHashes = [];
    private PooledBufferStream? _body;
    private HashSet<DkimCanonicalization>? _streamed;
    private Dictionary<DkimCanonicalization, PooledBufferStream>? _canonical;

    public DkimHasher(MimeMessage message)
    {
        _message = message;
        Headers = AllHeaders(message);
    }

    /// <summary>Over a message split without MIME parsing: its top-level fields, and its body hashed as the bytes received.</summary>
    public DkimHasher(Mime.RawMessage message)
    {
        Headers = message.Headers;
        _rawBody = message.Body;
    }

    /// <summary>Every header field of the message in its original order (<see cref="AllHeaders"/>), collected once.</summary>
    public IReadOnlyList<Header> Headers { get; }

    /// <summary>Every header field of the message in its original order.</summary>
    /// <remarks>MimeKit keeps Content-* fields of the top-level entity in <c>Body.Headers</c>, not in
    /// <see cref="MimeMessage.Headers"/>; both are merged back by their parse offset (a stable sort, so fields
    /// without an offset keep their order after the others).</remarks>
    public static IReadOnlyList<Header> AllHeaders(MimeMessage message)
    {
        var all = new List<Header>(message.Headers.Count + (message.Body?.Headers.Count ?? 0));
        all.AddRange(message.Headers);
        if (message.Body is not null)
        {
            var top = all.Count;
            foreach (var h in message.Body.Headers)
            {
                var duplicate = false;
                for (var i = 0; i < top && !duplicate; i++)
                {
                    duplicate = ReferenceEquals(all[i], h);
                }

                if (!duplicate)
                {
                    all.Add(h);
                }
            }
        }

        var ordered = new (Header Header, long Offset, int Index)[all.Count];
        var sorted = true;
        for (var i = 0; i < all.Count; i++)
        {
            ordered[i] = (all[i], all[i].Offset ?? long.MaxValue, i);
            sorted &= i == 0 || ordered[i - 1].Offset <= ordered[i].Offset;
        }

        if (sorted)
        {
            return all;
        }

        Array.Sort(ordered, static (a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Index.CompareTo(b.Index));
        for (var i = 0; i < ordered.Length; i++)
        {
            all[i] = ordered[i].Header;
        }

        return all;
    }

    /// <summary>A body hash and the length of the whole canonical body (to detect unsigned content past l=).</summary>
    public readonly record struct BodyHash(byte[] Hash, long CanonicalLength);

    /// <summary>The hash of the canonical body (its first <paramref name="limit"/> octets when given), computed once per
    /// (canonicalization, algorithm, limit). The first hash of a canonicalization is streamed (the canonical body is not
    /// held); a second one with another algorithm or <c>l=</c> keeps that canonical body (pooled) and hashes prefixes of
    /// it, so that signatures differing only in <c>l=</c> cost one canonicalization, not one each (a 25 MiB message with
    /// ten such signatures: docs/fuzzing.md, shape dkim-many).</summary>
    public BodyHash HashBody(DkimCanonicalization canonicalization, HashAlgorithmName algorithm, long? limit)
    {
        var key = (canonicalization, algorithm, limit);
        if (_bodyHashes.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var body = _message is null ? _rawBody.Span : (_body ??= SerializeBody(_message)).WrittenSpan;
        var relaxed = canonicalization == DkimCanonicalization.Relaxed;
        BodyHash result;
        var canonical = _canonical?.GetValueOrDefault(canonicalization);
        if (canonical is null && (_streamed ??= []).Add(canonicalization))
        {
            using var hash = IncrementalHash.CreateHash(algorithm);
            var length = WriteCanonicalBody(body, relaxed, hash.AppendData, limit);
            result = new BodyHash(hash.GetHashAndReset(), length);
        }
        else
        {
            if (canonical is null)
            {
                canonical = new PooledBufferStream(body.Length + 2); // canonical bodies are never longer than the body + CRLF
                WriteCanonicalBody(body, relaxed, canonical.Write, limit: null);
                (_canonical ??= [])[canonicalization] = canonical;
            }

            var all = canonical.WrittenSpan;
            var signed = limit is { } l && l < all.Length ? all[..(int)long.Max(l, 0)] : all;
            using var hash = IncrementalHash.CreateHash(algorithm);
            hash.AppendData(signed);
            result = new BodyHash(hash.GetHashAndReset(), all.Length);
        }

        _bodyHashes[key] = result;
        return result;
    }

    /// <summary>Returns the serialized and canonical bodies' buffers to the pool.</summary>
    public void Dispose()
    {
        _body?.Dispose();
        _body = null;
        foreach (var canonical in _canonical?.Values ?? Enumerable.Empty<PooledBufferStream>())
        {
            canonical.Dispose();
        }

        _canonical = null;
    }

    /// <summary>The canonicalized header data signed by a signature: the h= headers, then the signature header with b= emptied.</summary>
    /// <param name="signedHeaders">The h= names.</param>
    /// <param name="signatureHeader">The signature header field itself (last, without CRLF).</param>
    /// <param name="canonicalization">Header canonicalization.</param>
    /// <param name="candidates">Header fields eligible for selection (ARC excludes none; DKIM uses all).</param>
    public static byte[] SignedHeaderData(
        IReadOnlyList<string> signedHeaders, Header signatureHeader, DkimCanonicalization canonicalization, IReadOnlyList<Header> candidates)
    {
        var sink = new ArrayBufferWriter<byte>();
        WriteSignedHeaders(signedHeaders, signatureHeader, canonicalization, candidates, data => sink.Write(data));
        return sink.WrittenSpan.ToArray();
    }

    /// <summary>The hash of <see cref="SignedHeaderData"/>, computed without building it: each header is canonicalized into a pooled buffer and fed to the hash.</summary>
    public static byte[] SignedHeaderHash(
        IReadOnlyList<string> signedHeaders, Header signatureHeader, DkimCanonicalization canonicalization, IReadOnlyList<Header> candidates, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        WriteSignedHeaders(signedHeaders, signatureHeader, canonicalization, candidates, hash.AppendData);
        return hash.GetHashAndReset();
    }

    private static void WriteSignedHeaders(
        IReadOnlyList<string> signedHeaders, Header signatureHeader, DkimCanonicalization canonicalization, IReadOnlyList<Header> candidates, SpanAction sink)
    {
        // RFC 6376 §5.4.2: instances are taken from the bottom up; a name listed more often than it occurs signs a
        // "null" header (nothing is hashed for it). h= rarely repeats a name, so the counts stay a small list.
        List<(string Name, int Used)>? used = null;
        foreach (var name in signedHeaders)
        {
            var skip = 0;
            used ??= new List<(string, int)>(signedHeaders.Count);
            var slot = used.FindIndex(u => u.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (slot >= 0)
            {
                skip = used[slot].Used;
                used[slot] = (name, skip + 1);
            }
            else
            {
                used.Add((name, 1));
            }

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
                    WriteCanonical(h, canonicalization, removeSignature: false, withCrLf: true, sink);
                    break;
                }
            }
        }

        WriteCanonical(signatureHeader, canonicalization, removeSignature: true, withCrLf: false, sink); // RFC 6376 §3.7: no trailing CRLF
    }

    /// <summary>Receives canonical bytes (an <see cref="IncrementalHash"/> or a buffer).</summary>
    internal delegate void SpanAction(ReadOnlySpan<byte> data);

    /// <summary>Canonicalizes one header field, with its CRLF; optionally with the value of b= removed.</summary>
    public static string Canonicalize(Header header, DkimCanonicalization canonicalization, bool removeSignature)
    {
        var sink = new ArrayBufferWriter<byte>();
        WriteCanonical(header, canonicalization, removeSignature, withCrLf: true, data => sink.Write(data));
        return Encoding.Latin1.GetString(sink.WrittenSpan);
    }

    /// <summary>
    /// Writes one header field canonicalized (RFC 6376 §3.4.1 simple, §3.4.2 relaxed) to <paramref name="sink"/>, working on
    /// the raw bytes (Latin-1: one byte, one char) in one pass into a pooled buffer.
    /// </summary>
    internal static void WriteCanonical(Header header, DkimCanonicalization canonicalization, bool removeSignature, bool withCrLf, SpanAction sink)
    {
        var rawValue = header.RawValue.AsSpan();
        var (cutStart, cutEnd) = removeSignature ? SignatureValueRange(rawValue) : (0, 0);
        var simple = canonicalization == DkimCanonicalization.Simple;
        var field = simple ? default : header.Field.AsSpan().Trim(" \t");
        var capacity = (simple ? header.RawField.Length : field.Length) + rawValue.Length + 3;
        var rented = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var output = rented.AsSpan();
            var length = 0;
            if (simple)
            {
                header.RawField.CopyTo(output);
                length = header.RawField.Length;
                output[length++] = (byte)':';
                Copy(rawValue[..cutStart], output, ref length);
                Copy(rawValue[cutEnd..], output, ref length);

                // The field as it was, ending in exactly one CRLF (a field without one gets its trailing CR/LF replaced).
                if (length < 2 || output[length - 2] != (byte)'\r' || output[length - 1] != (byte)'\n')
                {
                    while (length > 0 && output[length - 1] is (byte)'\r' or (byte)'\n')
                    {
                        length--;
                    }

                    output[length++] = (byte)'\r';
                    output[length++] = (byte)'\n';
                }
            }
            else
            {
                // Lower-case the name, unfold (drop CRLF, then any other LF), reduce WSP runs to one SP, drop WSP at the
                // ends of the value and around the colon.
                foreach (var c in field)
                {
                    var lower = char.ToLowerInvariant(c);
                    output[length++] = lower <= '\u00FF' ? (byte)lower : (byte)'?';
                }

                output[length++] = (byte)':';
                var valueStart = length;
                var pendingSpace = false;
                for (var i = 0; i < rawValue.Length; i++)
                {
                    if (i == cutStart && cutEnd > cutStart)
                    {
                        i = cutEnd - 1;
                        continue;
                    }

                    var b = rawValue[i];
                    if (b == (byte)'\n' || (b == (byte)'\r' && i + 1 < rawValue.Length && rawValue[i + 1] == (byte)'\n' && !(i + 1 == cutStart && cutEnd > cutStart)))
                    {
                        continue;
                    }

                    if (b is (byte)' ' or (byte)'\t')
                    {
                        pendingSpace = true;
                        continue;
                    }

                    if (pendingSpace && length > valueStart)
                    {
                        output[length++] = (byte)' ';
                    }

                    pendingSpace = false;
                    output[length++] = b;
                }

                output[length++] = (byte)'\r';
                output[length++] = (byte)'\n';
            }

            sink(output[..(withCrLf ? length : length - 2)]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Copy(ReadOnlySpan<byte> from, Span<byte> to, ref int length)
    {
        from.CopyTo(to[length..]);
        length += from.Length;
    }

    /// <summary>
    /// Where the value of the first b= tag lies in a raw signature field value: after "b=" (at the start or after a ";",
    /// with optional whitespace and folding around "b"), up to the next ";" or the end. (0, 0) when there is none.
    /// </summary>
    internal static (int Start, int End) SignatureValueRange(ReadOnlySpan<byte> value)
    {
        for (var tagStart = 0; tagStart <= value.Length; tagStart++)
        {
            if (tagStart > 0 && value[tagStart - 1] != (byte)';')
            {
                continue;
            }

            var i = tagStart;
            while (i < value.Length && value[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }

            if (i >= value.Length || value[i] != (byte)'b')
            {
                continue;
            }

            i++;
            while (i < value.Length && value[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }

            if (i >= value.Length || value[i] != (byte)'=')
            {
                continue;
            }

            var start = i + 1;
            var end = value[start..].IndexOf((byte)';');
            return (start, end < 0 ? value.Length : start + end);
        }

        return (0, 0);
    }

    private static PooledBufferStream SerializeBody(MimeMessage message)
    {
        var stream = new PooledBufferStream();
        message.Body?.WriteTo(DosFormat, stream, contentOnly: true);
        return stream;
    }

    private static FormatOptions CreateDosFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    /// <summary>Body canonicalization of CRLF text (RFC 6376 §3.4.3 simple, §3.4.4 relaxed), as one array (for tests and tools).</summary>
    internal static byte[] CanonicalizeBody(ReadOnlySpan<byte> body, bool relaxed)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 2);
        WriteCanonicalBody(body, relaxed, data => output.Write(data), limit: null);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Streams the canonical body of CRLF text (RFC 6376 §3.4.3 simple, §3.4.4 relaxed) to <paramref name="sink"/>, in chunks,
    /// stopping the output after <paramref name="limit"/> octets (l=, §3.5); returns the length of the whole canonical body.
    /// </summary>
    /// <remarks>
    /// simple: empty lines at the end are dropped and the body ends in CRLF; an empty body becomes one CRLF.
    /// relaxed: additionally, WSP runs become one SP and WSP at line ends is dropped; an empty body stays empty.
    /// Empty lines are held back as a count and written only when a line with content follows.
    /// </remarks>
    internal static long WriteCanonicalBody(ReadOnlySpan<byte> body, bool relaxed, SpanAction sink, long? limit)
    {
        using var output = new ChunkedSink(sink, limit);
        if (!relaxed)
        {
            var end = body.Length;
            while (end >= 2 && body[end - 2] == (byte)'\r' && body[end - 1] == (byte)'\n')
            {
                end -= 2;
            }

            output.Write(body[..end]);
            output.Write("\r\n"u8);
            output.Flush();
            return output.Total;
        }

        long emptyLines = 0;
        var pos = 0;
        while (pos < body.Length)
        {
            var rest = body[pos..];
            var eol = rest.IndexOf("\r\n"u8);
            var line = eol < 0 ? rest : rest[..eol];
            pos += eol < 0 ? rest.Length : eol + 2;
            if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                emptyLines++; // empty, or only whitespace (dropped at the line end)
                continue;
            }

            for (; emptyLines > 0; emptyLines--)
            {
                output.Write("\r\n"u8);
            }

            while (!line.IsEmpty)
            {
                var ws = line.IndexOfAny((byte)' ', (byte)'\t');
                if (ws < 0)
                {
                    output.Write(line);
                    break;
                }

                output.Write(line[..ws]);
                var next = line[ws..].IndexOfAnyExcept((byte)' ', (byte)'\t');
                if (next < 0)
                {
                    break; // whitespace at the end of the line is dropped
                }

                output.Write(" "u8);
                line = line[(ws + next)..];
            }

            output.Write("\r\n"u8);
        }

        output.Flush();
        return output.Total;
    }

    /// <summary>Collects small writes into a pooled 16 KB chunk before passing them on (a hash update per word would dominate).</summary>
    private sealed class ChunkedSink(SpanAction target, long? limit) : IDisposable
    {
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        private int _count;
        private long? _remaining = limit;

        /// <summary>Octets written so far (the whole canonical body, past any limit).</summary>
        public long Total { get; private set; }

        public void Write(ReadOnlySpan<byte> data)
        {
            Total += data.Length;
            var buffer = _buffer!;
            while (!data.IsEmpty)
            {
                var n = Math.Min(data.Length, buffer.Length - _count);
                data[..n].CopyTo(buffer.AsSpan(_count));
                _count += n;
                data = data[n..];
                if (_count == buffer.Length)
                {
                    Flush();
                }
            }
        }

        public void Flush()
        {
            var chunk = _buffer.AsSpan(0, _count);
            _count = 0;
            if (_remaining is { } remaining)
            {
                var take = (int)Math.Min(remaining, chunk.Length);
                _remaining = remaining - take;
                chunk = chunk[..take];
            }

            if (!chunk.IsEmpty)
            {
                target(chunk);
            }
        }

        public void Dispose()
        {
            if (_buffer is { } buffer)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
