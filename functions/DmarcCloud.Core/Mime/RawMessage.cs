using System.Runtime.InteropServices;
using MimeKit;

namespace DmarcCloud.Core.Mime;

/// <summary>
/// A message split into its top-level header fields and its body bytes, without MIME parsing: what DKIM, ARC and
/// DMARC need (signed fields, the From field, the body exactly as sent). One linear pass over the header block.
/// </summary>
/// <remarks>
/// RFC 5322 §2.1 (the header block ends at the first empty line; the body is everything after it), §2.2 and §2.2.3
/// (a field is a line starting with a name and a colon, continued by lines starting with space or tab — unfolding
/// keeps the CRLF, so <see cref="Header.RawValue"/> holds the folded bytes DKIM canonicalizes, RFC 6376 §3.4.2).
/// Bare LF line ends become CRLF first, as in <see cref="MessageReader"/>. This replaces MimeKit's
/// <see cref="MimeParser"/> on the evaluation path: that parser grows its header buffer 64 bytes at a time, so one
/// field folded over many lines costs its length squared (a 260 KB folded field inside a nested part allocated
/// 106 MB, docs/fuzzing.md), and it parses every MIME part of the body, which DKIM does not need (RFC 6376 §3.4.3
/// hashes the body as bytes). Each field is handed to <see cref="Header.TryParse(ParserOptions, byte[], int, int, out Header)"/>,
/// which copies it once. Malformed input is read as MimeKit reads it: an mbox <c>From </c> line first is skipped;
/// a first line that is not a field (or starts with white space) means no header block at all (an empty message);
/// a later line that is not a field is kept out of the field list but does not end the header block.
/// </remarks>
public sealed class RawMessage
{
    private RawMessage(IReadOnlyList<Header> headers, ReadOnlyMemory<byte> body)
    {
        Headers = headers;
        Body = body;
    }

    /// <summary>The top-level header fields in their order (Content-* fields included).</summary>
    public IReadOnlyList<Header> Headers { get; }

    /// <summary>The body: every byte after the empty line that ends the header block, with CRLF line ends.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// Splits <paramref name="raw"/> (bare LF line ends are converted to CRLF). The size limits are not checked here:
    /// callers that take untrusted input run <see cref="MessageLimitsCheck.Check"/> first, as
    /// <see cref="Evaluation.MessageEvaluator"/> does. Linear in the input; never throws on malformed input.
    /// </summary>
    public static RawMessage Parse(ReadOnlyMemory<byte> raw)
    {
        byte[] bytes;
        int offset;
        int length;
        if (!MessageReader.HasBareLf(raw.Span) && MemoryMarshal.TryGetArray(raw, out var segment))
        {
            (bytes, offset, length) = (segment.Array!, segment.Offset, segment.Count);
        }
        else
        {
            bytes = MessageReader.ToCrLf(raw.Span);
            (offset, length) = (0, bytes.Length);
        }

        var end = offset + length;
        var headers = new List<Header>();
        var position = offset;

        // An mbox "From " separator line before the header block is not a field (MimeKit skips it too).
        if (length >= 5 && bytes.AsSpan(offset, 5).SequenceEqual("From "u8))
        {
            position = LineEnd(bytes, offset, end);
        }

        var first = true;
        while (position < end)
        {
            if (IsEmptyLine(bytes, position, end))
            {
                position = LineEnd(bytes, position, end);
                break; // the empty line ends the header block
            }

            // The field: this line and every following line that starts with space or tab.
            var fieldEnd = LineEnd(bytes, position, end);
            while (fieldEnd < end && bytes[fieldEnd] is (byte)' ' or (byte)'\t')
            {
                fieldEnd = LineEnd(bytes, fieldEnd, end);
            }

            if (first && !StartsLikeField(bytes, position, fieldEnd))
            {
                return new RawMessage([], ReadOnlyMemory<byte>.Empty); // not a message: no header block (as MimeKit)
            }

            if (ParseField(bytes, position, fieldEnd) is { } header)
            {
                headers.Add(header);
            }

            first = false;
            position = fieldEnd;
        }

        return new RawMessage(headers, bytes.AsMemory(position, end - position));
    }

    /// <summary>
    /// One field (name, colon, folded value). MimeKit's strict field parser wants an ASCII atom name (RFC 5322 §3.6.8
    /// ftext without the characters no real field uses) and a value ending in a line end: a last field with no line end
    /// gets CRLF, like every other field. A line that is not a field gives null: no DKIM <c>h=</c> can name it.
    /// </summary>
    private static Header? ParseField(byte[] bytes, int start, int end)
    {
        if (bytes[end - 1] == (byte)'\n')
        {
            return Header.TryParse(ParserOptions.Default, bytes, start, end - start, out var header) ? header : null;
        }

        var terminated = new byte[end - start + 2];
        bytes.AsSpan(start, end - start).CopyTo(terminated);
        "\r\n"u8.CopyTo(terminated.AsSpan(end - start));
        return Header.TryParse(ParserOptions.Default, terminated, 0, terminated.Length, out var last) ? last : null;
    }

    /// <summary>MimeKit's test for a header block: the first line has a colon before any control character or white space at its start.</summary>
    private static bool StartsLikeField(byte[] bytes, int start, int end)
    {
        if (bytes[start] is (byte)' ' or (byte)'\t')
        {
            return false;
        }

        for (var i = start; i < end; i++)
        {
            if (bytes[i] == (byte)':')
            {
                return true;
            }

            if ((bytes[i] < 0x20 && bytes[i] != (byte)'\t') || bytes[i] == 0x7F)
            {
                return false;
            }
        }

        return false;
    }

    private static int LineEnd(byte[] bytes, int start, int end)
    {
        var newline = bytes.AsSpan(start, end - start).IndexOf((byte)'\n');
        return newline < 0 ? end : start + newline + 1;
    }

    private static bool IsEmptyLine(byte[] bytes, int position, int end) =>
        bytes[position] == (byte)'\n' || (bytes[position] == (byte)'\r' && position + 1 < end && bytes[position + 1] == (byte)'\n');
}
