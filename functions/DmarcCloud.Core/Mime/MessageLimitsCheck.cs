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
