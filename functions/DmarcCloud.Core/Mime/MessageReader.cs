using MimeKit;

namespace DmarcCloud.Core.Mime;

/// <summary>Reads a raw RFC 5322 message into a <see cref="MimeMessage"/> fit for DKIM and ARC verification.</summary>
/// <remarks>
/// RFC 5322 §2.1 lines end in CRLF; messages kept on disk (conformance suites, .eml files) often use bare LF.
/// Every bare LF is turned into CRLF before parsing, so that "simple" canonicalisation (RFC 6376 §3.4.1/§3.4.3)
/// hashes the bytes the signer saw. MimeKit keeps each header's raw bytes (<see cref="Header.RawValue"/>), which the
/// verifiers use. MimeKit is lenient: input that is not a message (no header block, binary junk) still parses,
/// as a message with no headers or with the junk as body; parsing is linear in the input and never hangs.
/// An empty input yields a message with no headers and no body.
/// </remarks>
public static class MessageReader
{
    /// <summary>Parses <paramref name="raw"/> after converting bare LF line ends to CRLF.</summary>
    public static MimeMessage Parse(ReadOnlyMemory<byte> raw) => Parse(raw, MessageLimits.Default);

    /// <summary>
    /// Parses <paramref name="raw"/> after converting bare LF line ends to CRLF, following MIME nesting at most
    /// <see cref="MessageLimits.MaxMimeDepth"/> deep. The top-level size limits are not checked here: callers that take
    /// untrusted input run <see cref="MessageLimitsCheck.Check"/> first. A body holding a header block with a field over
    /// <see cref="MessageLimits.MaxHeaderFieldBytes"/> (<see cref="MessageLimitsCheck.CheckHeaderBlocks"/>) is not
    /// parsed into parts: it is kept as one opaque part, because MimeKit's cost for such a field is its length squared.
    /// </summary>
    public static MimeMessage Parse(ReadOnlyMemory<byte> raw, MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (MessageLimitsCheck.CheckHeaderBlocks(raw.Span, limits) is not null)
        {
            limits = new MessageLimits
            {
                MaxMessageBytes = limits.MaxMessageBytes,
                MaxHeaderBlockBytes = limits.MaxHeaderBlockBytes,
                MaxHeaderFieldBytes = limits.MaxHeaderFieldBytes,
                MaxHeaderFields = limits.MaxHeaderFields,
                MaxFromFieldBytes = limits.MaxFromFieldBytes,
                MaxMimeDepth = 0,
            };
        }

        // MimeKit copies what it keeps (persistent: false), so input that already uses CRLF is read in place.
        if (!HasBareLf(raw.Span) && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(raw, out var segment))
        {
            using var inPlace = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
            return ParseCrLf(inPlace, limits);
        }

        var bytes = ToCrLf(raw.Span);
        using var stream = new MemoryStream(bytes, writable: false);
        return ParseCrLf(stream, limits);
    }

    /// <summary>Reads <paramref name="stream"/> to its end and parses it like <see cref="Parse(ReadOnlyMemory{byte})"/>.</summary>
    public static MimeMessage Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static MimeMessage ParseCrLf(MemoryStream stream, MessageLimits limits)
    {
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = limits.MaxMimeDepth;
        var parser = new MimeParser(options, stream, MimeFormat.Entity, persistent: false);
        try
        {
            return parser.ParseMessage();
        }
        catch (FormatException)
        {
            // MimeKit throws only when there is no header block at all (e.g. empty input): treat as an empty message.
            return new MimeMessage();
        }
    }

    internal static bool HasBareLf(ReadOnlySpan<byte> raw)
    {
        for (var i = raw.IndexOf((byte)'\n'); i >= 0;)
        {
            if (i == 0 || raw[i - 1] != (byte)'\r')
            {
                return true;
            }

            var next = raw[(i + 1)..].IndexOf((byte)'\n');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    /// <summary>Converts every LF not preceded by CR into CRLF. Existing CRLF pairs are kept.</summary>
    internal static byte[] ToCrLf(ReadOnlySpan<byte> raw)
    {
        var bareLf = 0;
        for (var i = raw.IndexOf((byte)'\n'); i >= 0;)
        {
            if (i == 0 || raw[i - 1] != (byte)'\r')
            {
                bareLf++;
            }

            var next = raw[(i + 1)..].IndexOf((byte)'\n');
            i = next < 0 ? -1 : i + 1 + next;
        }

        if (bareLf == 0)
        {
            return raw.ToArray();
        }

        var result = new byte[raw.Length + bareLf];
        var written = 0;
        var start = 0;
        for (var i = raw.IndexOf((byte)'\n'); i >= 0;)
        {
            raw[start..i].CopyTo(result.AsSpan(written));
            written += i - start;
            if (i == 0 || raw[i - 1] != (byte)'\r')
            {
                result[written++] = (byte)'\r';
            }

            result[written++] = (byte)'\n';
            start = i + 1;
            var next = raw[start..].IndexOf((byte)'\n');
            i = next < 0 ? -1 : start + next;
        }

        raw[start..].CopyTo(result.AsSpan(written));
        return result;
    }
}
