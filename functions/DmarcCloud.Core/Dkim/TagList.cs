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

        var parts = text.Split(';');
        for (var n = 0; n < parts.Length; n++)
        {
            var part = parts[n];
            if (IsWhitespace(part))
            {
                if (n == parts.Length - 1)
                {
                    break; // trailing ";" is allowed
                }

                error = "empty tag-spec (\";;\")";
                return null;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
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

            if (!tags.TryAdd(name, Trim(part[(eq + 1)..])))
            {
                error = $"duplicate tag \"{name}\"";
                return null;
            }
        }

        error = null;
        return tags;
    }

    /// <summary>Removes FWS (space, tab, CR, LF) anywhere in a value, e.g. base64 data folded over lines.</summary>
    public static string RemoveWhitespace(string value)
    {
        if (!value.Any(IsWsp))
        {
            return value;
        }

        return string.Concat(value.Where(c => !IsWsp(c)));
    }

    private static bool IsTagName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Trim(string s) => s.Trim(' ', '\t', '\r', '\n');

    private static bool IsWhitespace(string s) => s.All(IsWsp);

    private static bool IsWsp(char c) => c is ' ' or '\t' or '\r' or '\n';
}
