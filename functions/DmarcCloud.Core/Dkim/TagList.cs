namespace DmarcCloud.Core.Dkim;

/// <summary>The tag=value list syntax shared by DKIM-Signature, DKIM key records and the ARC header fields.</summary>
/// <remarks>
/// RFC 6376 §3.2: <c>tag-list = tag-spec *( ";" tag-spec ) [ ";" ]</c>, tag names are case-sensitive,
/// whitespace (FWS) around names and values is ignored, and "Tags with duplicate names MUST NOT occur within a
/// single tag-list; if a tag name does occur more than once, the entire tag-list is invalid."
/// </remarks>
internal static class TagList
{
    /// <summary>Parses <paramref name="text"/>; returns null and sets <paramref name="error"/> when malformed.</summary>
    public static Dictionary<string, string>? Parse(string text, out string? error)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.AsSpan().Count(';') > Mime.MessageLimits.MaxTagListTags)
        {
            error = $"more than {Mime.MessageLimits.MaxTagListTags} tags";
            return null;
        }

        // One pass over spans: only each name and value becomes a string (no array of parts, no trimmed copies).
        var rest = text.AsSpan();
        while (true)
        {
            var semicolon = rest.IndexOf(';');
            var last = semicolon < 0;
            var part = last ? rest : rest[..semicolon];
            rest = last ? [] : rest[(semicolon + 1)..];
            if (IsWhitespace(part))
            {
                if (last)
                {
                    break; // trailing ";" is allowed (and an empty list is empty)
                }

                error = "empty tag-spec (\";;\")";
                return null;
            }

            var eq = part.IndexOf('=');
            if (eq < 0)
            {
                error = $"tag-spec without '=': \"{Trim(part)}\"";
                return null;
            }

            var name = Trim(part[..eq]);
            if (!IsTagName(name))
            {
                error = $"invalid tag name \"{name}\"";
                return null;
            }

            var nameText = name.ToString();
            if (!tags.TryAdd(nameText, Trim(part[(eq + 1)..]).ToString()))
            {
                error = $"duplicate tag \"{nameText}\"";
                return null;
            }

            if (last)
            {
                break;
            }
        }

        error = null;
        return tags;
    }

    /// <summary>Removes FWS (space, tab, CR, LF) anywhere in a value, e.g. base64 data folded over lines.</summary>
    public static string RemoveWhitespace(string value)
    {
        var kept = value.Length - value.AsSpan().Count(' ') - value.AsSpan().Count('\t') - value.AsSpan().Count('\r') - value.AsSpan().Count('\n');
        if (kept == value.Length)
        {
            return value;
        }

        return string.Create(kept, value, static (output, source) =>
        {
            var written = 0;
            foreach (var c in source)
            {
                if (!IsWsp(c))
                {
                    output[written++] = c;
                }
            }
        });
    }

    private static bool IsTagName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> s) => s.Trim(" \t\r\n");

    private static bool IsWhitespace(ReadOnlySpan<char> s) => s.IndexOfAnyExcept(" \t\r\n") < 0;

    private static bool IsWsp(char c) => c is ' ' or '\t' or '\r' or '\n';
}
