using System.Globalization;
using System.Text;

namespace DmarcCloud.Core.Mime;

/// <summary>
/// Checks a raw message against <see cref="MessageLimits"/> in one pass over its header block, before MimeKit or
/// any canonicalization sees it. Linear in the header block, constant memory.
/// </summary>
/// <remarks>
/// RFC 5322 §2.2 (header fields, folding: a line starting with space or tab continues the field above), §2.1
/// (the header block ends at the first empty line). Bare LF line ends count like CRLF, as
/// <see cref="MessageReader"/> treats them.
/// </remarks>
public static class MessageLimitsCheck
{
    /// <summary>Null when <paramref name="raw"/> is within <paramref name="limits"/>, otherwise which limit it exceeds and by how much.</summary>
    public static string? Check(ReadOnlySpan<byte> raw, MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (raw.Length > limits.MaxMessageBytes)
        {
            return Refused($"the message is {raw.Length} bytes", limits.MaxMessageBytes, nameof(MessageLimits.MaxMessageBytes));
        }

        var fields = 0;
        var fieldStart = -1;
        var position = 0;
        while (position < raw.Length)
        {
            var newline = raw[position..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? raw.Length : position + newline + 1;
            var content = raw[position..lineEnd];
            var isEmpty = content.Length == 0 || content is [(byte)'\n'] || content is [(byte)'\r', (byte)'\n'];
            if (isEmpty)
            {
                break; // end of the header block
            }

            if (lineEnd > limits.MaxHeaderBlockBytes)
            {
                return Refused($"the header block is over {limits.MaxHeaderBlockBytes} bytes", limits.MaxHeaderBlockBytes, nameof(MessageLimits.MaxHeaderBlockBytes));
            }

            var continuation = content[0] is (byte)' ' or (byte)'\t';
            if (!continuation)
            {
                if (fieldStart >= 0 && CheckField(raw[fieldStart..position], limits) is { } error)
                {
                    return error;
                }

                fieldStart = position;
                if (++fields > limits.MaxHeaderFields)
                {
                    return Refused($"the header block has over {limits.MaxHeaderFields} fields", limits.MaxHeaderFields, nameof(MessageLimits.MaxHeaderFields));
                }
            }
            else if (fieldStart >= 0 && lineEnd - fieldStart > limits.MaxHeaderFieldBytes)
            {
                // Checked per line too, so that a field folded over megabytes is refused as soon as it is too long.
                return CheckField(raw[fieldStart..lineEnd], limits);
            }

            position = lineEnd;
        }

        return fieldStart >= 0 ? CheckField(raw[fieldStart..position], limits) : null;
    }

    /// <summary>
    /// Null when no header block a MIME parser may read (the message's own, part headers after a <c>--</c> boundary
    /// line, the header block of an attached message, a message after an mbox <c>From </c> line) has a field over
    /// <see cref="MessageLimits.MaxHeaderFieldBytes"/>;
    /// otherwise the reason. One linear pass, constant memory; conservative (a body paragraph shaped like a header
    /// block counts too).
    /// </summary>
    /// <remarks>
    /// MimeKit grows its header buffer 64 bytes per folded line (4 KiB per read for one long line), so a field's cost
    /// is its length squared: a 200 KB folded field inside an attached message allocates 300 MiB, a 1 MB line 120 MiB.
    /// <see cref="Check"/> bounds the top-level fields; <see cref="MessageReader"/> uses this to keep MimeKit out of a
    /// body with such a field (it is read as one opaque part). RFC 2046 §5.1.1 (boundary lines start with <c>--</c>,
    /// each body part starts with its header fields), §5.2.1 (message/rfc822 content is a message: a header block).
    /// It also checks every block MimeKit reads as an attached message's header fields whatever its first line looks like: the
    /// content after a header block that declares a message (<c>message/…</c>, <c>text/rfc822-headers</c>; any part
    /// once a <c>multipart/digest</c>, whose parts default to <c>message/rfc822</c>, was seen). A test of the first
    /// line's shape alone missed two attached <c>text/rfc822-headers</c> blocks found by the ingest fuzz target (a first
    /// field name with non-ASCII bytes, a first line without a colon), whose 100-120 KB folded fields MimeKit parsed
    /// for 92-116 MB, and the mime target found the same in <see cref="MessageReader"/> (59 MB for 88 KB). Used by
    /// report ingest and <see cref="MessageReader"/>. RFC 6522 §4 (<c>text/rfc822-headers</c>), RFC 2046 §5.1.5 (digest).
    /// </remarks>
    public static string? CheckHeaderBlocks(ReadOnlySpan<byte> raw, MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var inBlock = true;         // inside a block MimeKit may read as header fields
        var blockStart = true;      // the next line starts a block
        var candidate = true;       // the next block may be header fields (after a header block: an attached message)
        var certain = true;         // the next block is read as header fields whatever it looks like (the start, after a boundary line)
        var declaresMessage = false; // this header block's content is an attached message
        var digest = false;          // a multipart/digest was declared: its parts are messages by default
        var fieldLength = 0L;
        var position = 0;
        while (position < raw.Length)
        {
            var newline = raw[position..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? raw.Length : position + newline + 1;
            var line = raw[position..lineEnd];
            position = lineEnd;
            var isEmpty = line is [(byte)'\n'] || line is [(byte)'\r', (byte)'\n'];
            if (isEmpty)
            {
                // A header block ends here; what follows may be an attached message's header block.
                candidate = inBlock;
                certain = inBlock && (declaresMessage || digest);
                declaresMessage = false;
                inBlock = false;
                blockStart = true;
                fieldLength = 0;
                continue;
            }

            if (line.StartsWith("--"u8) || line.StartsWith("From "u8))
            {
                // A boundary line or an mbox separator: MimeKit reads the lines after it as header fields even when
                // the first is not shaped like one (it keeps it as an invalid field, folded lines and all).
                certain = true;
                declaresMessage = false;
                inBlock = false;
                blockStart = true;
                fieldLength = 0;
                continue;
            }

            if (blockStart)
            {
                blockStart = false;
                inBlock = certain || (candidate && StartsLikeField(line));
                candidate = false;
                certain = false;
            }

            if (!inBlock)
            {
                continue;
            }

            declaresMessage |= IndexOfIgnoreCase(line, "message/"u8) >= 0 || IndexOfIgnoreCase(line, "rfc822"u8) >= 0;
            digest |= IndexOfIgnoreCase(line, "multipart/digest"u8) >= 0;

            fieldLength = line[0] is (byte)' ' or (byte)'\t' ? fieldLength + line.Length : line.Length;
            if (fieldLength > limits.MaxHeaderFieldBytes)
            {
                return Refused($"a header field in a header block is over {limits.MaxHeaderFieldBytes} bytes", limits.MaxHeaderFieldBytes, nameof(MessageLimits.MaxHeaderFieldBytes));
            }
        }

        return null;
    }

    /// <summary>A field name (printable ASCII but colon) then a colon, within the line.</summary>
    /// <summary>ASCII case-insensitive search for a lower-case token; linear (the token is a few bytes).</summary>
    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> span, ReadOnlySpan<byte> token)
    {
        var offset = 0;
        while (offset <= span.Length - token.Length)
        {
            var found = span[offset..].IndexOfAny(token[0], (byte)(token[0] & ~0x20));
            if (found < 0 || offset + found > span.Length - token.Length)
            {
                return -1;
            }

            if (Ascii.EqualsIgnoreCase(span.Slice(offset + found, token.Length), token))
            {
                return offset + found;
            }

            offset += found + 1;
        }

        return -1;
    }

    private static bool StartsLikeField(ReadOnlySpan<byte> line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (b == (byte)':')
            {
                return i > 0;
            }

            if (b is <= 0x20 or >= 0x7F)
            {
                return false;
            }
        }

        return false;
    }

    private static string? CheckField(ReadOnlySpan<byte> field, MessageLimits limits)
    {
        if (field.Length > limits.MaxHeaderFieldBytes)
        {
            return Refused($"header field '{FieldName(field)}' is {field.Length} bytes", limits.MaxHeaderFieldBytes, nameof(MessageLimits.MaxHeaderFieldBytes));
        }

        if (field.Length > limits.MaxFromFieldBytes && IsFrom(field))
        {
            return Refused($"the From field is {field.Length} bytes", limits.MaxFromFieldBytes, nameof(MessageLimits.MaxFromFieldBytes));
        }

        return null;
    }

    private static bool IsFrom(ReadOnlySpan<byte> field)
    {
        var colon = field.IndexOf((byte)':');
        return colon >= 0 && Ascii.EqualsIgnoreCase(field[..colon].TrimEnd(" \t"u8), "From"u8);
    }

    /// <summary>The field name for the reason: at most 64 printable ASCII characters.</summary>
    private static string FieldName(ReadOnlySpan<byte> field)
    {
        var colon = field.IndexOf((byte)':');
        var name = field[..(colon < 0 ? int.Min(field.Length, 64) : int.Min(colon, 64))];
        var sb = new StringBuilder(name.Length);
        foreach (var b in name)
        {
            sb.Append(b is >= 0x21 and <= 0x7E ? (char)b : '?');
        }

        return sb.ToString();
    }

    private static string Refused(string what, int limit, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"message refused: {what}, over the limit of {limit} ({name}, docs/limits.md)");
}
