using System.Text;

namespace DmarcCloud.Core.Rfc5322;

/// <summary>
/// The RFC 5322 lexical rules that header-field parsers share: comments (nested parentheses) and quoted strings,
/// each with quoted-pairs; splitting outside quoted strings. One set of rules for every caller (the From field's author domain, Authentication-Results).
/// </summary>
/// <remarks>
/// RFC 5322 §3.2.1 (quoted-pair: a backslash quotes the next character, in comments and quoted strings only),
/// §3.2.2 (comment: nested parentheses; CFWS separates tokens), §3.2.4 (quoted-string: parentheses inside are text).
/// Linear in its input; never throws.
/// </remarks>
public static class Rfc5322Lexer
{
    /// <summary>
    /// <paramref name="value"/> with every comment replaced by one space (a comment separates tokens, RFC 5322
    /// §3.2.2). Quoted strings are kept as written, quoted-pairs included; a quoted-pair inside a comment cannot end
    /// it. An unclosed comment runs to the end; a stray <c>)</c> outside a comment is kept.
    /// </summary>
    public static string StripComments(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.IndexOf('(', StringComparison.Ordinal) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && (quoted || depth > 0))
            {
                if (depth == 0)
                {
                    sb.Append(c).Append(value[i + 1]);
                }

                i++;
            }
            else if (depth == 0 && c == '"')
            {
                quoted = !quoted;
                sb.Append(c);
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (depth > 0 && c == ')')
            {
                if (--depth == 0)
                {
                    sb.Append(' ');
                }
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Splits <paramref name="value"/> at <paramref name="separator"/> where it stands outside quoted strings (a
    /// quoted-pair inside one is text) and, when <paramref name="outsideAngleBrackets"/>, outside <c>&lt;…&gt;</c>
    /// (address lists, RFC 5322 §3.4). The pieces are returned as written, empty ones included.
    /// </summary>
    public static List<string> SplitOutsideQuotes(string value, char separator, bool outsideAngleBrackets = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var items = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        var angle = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && quoted && i + 1 < value.Length)
            {
                sb.Append(c).Append(value[++i]);
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && outsideAngleBrackets && c == '<')
            {
                angle++;
            }
            else if (!quoted && outsideAngleBrackets && c == '>' && angle > 0)
            {
                angle--;
            }
            else if (!quoted && angle == 0 && c == separator)
            {
                items.Add(sb.ToString());
                sb.Clear();
                continue;
            }

            sb.Append(c);
        }

        items.Add(sb.ToString());
        return items;
    }
}
