using System.Text;

namespace DmarcCloud.Core.Rfc5322;

/// <summary>
/// The RFC 5322 lexical rules that header-field parsers share: comments (nested parentheses) and quoted strings,
/// each with quoted-pairs. One set of rules for every caller (the From field's author domain, Authentication-Results).
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
}
