using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DmarcCloud.Core.Spf;

/// <summary>Checks and expands SPF macro-strings (RFC 7208 §7).</summary>
internal static class SpfMacro
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>
    /// Checks macro-string syntax (§7.1). <paramref name="explanation"/> allows spaces and the
    /// explanation-only letters c, r, t. Returns null when valid, otherwise what is wrong.
    /// </summary>
    public static string? Validate(string text, bool explanation, out bool endsWithMacro)
    {
        endsWithMacro = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            endsWithMacro = false;
            if (c == '%')
            {
                if (i + 1 >= text.Length)
                {
                    return "'%' at end of macro-string";
                }

                var next = text[i + 1];
                if (next is '%' or '_' or '-')
                {
                    i++;
                    endsWithMacro = true;
                    continue;
                }

                if (next != '{')
                {
                    return $"invalid macro '%{next}'";
                }

                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    return "unterminated macro '%{'";
                }

                var error = ValidateExpand(text[(i + 2)..close], explanation);
                if (error is not null)
                {
                    return error;
                }

                i = close;
                endsWithMacro = true;
                continue;
            }

            var literal = c is >= '\x21' and <= '\x7e' || (explanation && c == ' ');
            if (!literal)
            {
                return $"character U+{(int)c:X4} is not allowed in a macro-string";
            }
        }

        return null;
    }

    private static string? ValidateExpand(string body, bool explanation)
    {
        if (body.Length == 0)
        {
            return "empty macro '%{}'";
        }

        var letter = char.ToLowerInvariant(body[0]);
        var letters = explanation ? "slodiphcrtv" : "slodiphv";
        if (!letters.Contains(letter, StringComparison.Ordinal))
        {
            return $"invalid macro letter '{body[0]}'";
        }

        var j = 1;
        var digitStart = j;
        while (j < body.Length && char.IsAsciiDigit(body[j]))
        {
            j++;
        }

        if (j > digitStart)
        {
            // §7.3: "If a DIGITS transformer is specified, the value MUST be nonzero."
            var digits = body[digitStart..j].TrimStart('0');
            if (digits.Length == 0)
            {
                return "macro DIGITS transformer is zero";
            }
        }

        if (j < body.Length && body[j] is 'r' or 'R')
        {
            j++;
        }

        for (; j < body.Length; j++)
        {
            if (!Delimiters.Contains(body[j], StringComparison.Ordinal))
            {
                return $"invalid macro delimiter '{body[j]}'";
            }
        }

        return null;
    }

    /// <summary>
    /// Expands a macro-string that <see cref="Validate"/> accepted; null when the expansion would be longer than
    /// <paramref name="maxLength"/> characters (it stops there: the work is bounded by the limit, not by the
    /// number of macros times the length of their values).
    /// </summary>
    public static async Task<string?> ExpandAsync(string text, SpfMacroContext context, int maxLength)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text.Length <= maxLength ? text : null;
        }

        var sb = new StringBuilder(text.Length + 32);
        for (var i = 0; i < text.Length; i++)
        {
            if (sb.Length > maxLength)
            {
                return null;
            }

            var c = text[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case '%':
                    sb.Append('%');
                    continue;
                case '_':
                    sb.Append(' ');
                    continue;
                case '-':
                    sb.Append("%20");
                    continue;
            }

            var close = text.IndexOf('}', i + 1);
            var body = text[(i + 1)..close];
            i = close;
            sb.Append(await ExpandOneAsync(body, context).ConfigureAwait(false));
        }

        return sb.Length <= maxLength ? sb.ToString() : null;
    }

    private static async Task<string> ExpandOneAsync(string body, SpfMacroContext context)
    {
        var letter = body[0];
        var value = char.ToLowerInvariant(letter) switch
        {
            's' => context.Sender,
            'l' => context.LocalPart,
            'o' => context.SenderDomain,
            'd' => context.Domain,
            'i' => DottedAddress(context.Client),
            'p' => await context.ValidatedNameAsync().ConfigureAwait(false),
            'v' => context.Client.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
            'h' => context.Helo,
            'c' => context.Client.ToString(),
            'r' => context.ReceivingHost,
            't' => context.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"macro letter '{letter}' was not validated"),
        };

        var j = 1;
        while (j < body.Length && char.IsAsciiDigit(body[j]))
        {
            j++;
        }

        var keep = j > 1 ? int.Min(int.Parse(body.AsSpan(1, int.Min(j - 1, 9)), CultureInfo.InvariantCulture), 1000) : 0;
        var reverse = j < body.Length && body[j] is 'r' or 'R';
        if (reverse)
        {
            j++;
        }

        var delimiters = j < body.Length ? body[j..].ToCharArray() : ['.'];
        if (keep > 0 || reverse || j < body.Length)
        {
            var parts = value.Split(delimiters);
            if (reverse)
            {
                Array.Reverse(parts);
            }

            if (keep > 0 && keep < parts.Length)
            {
                parts = parts[^keep..];
            }

            value = string.Join('.', parts);
        }

        // §7.3: an upper-case macro letter means the value is URL-escaped (RFC 3986 unreserved kept).
        return char.IsAsciiLetterUpper(letter) ? Uri.EscapeDataString(value) : value;
    }

    /// <summary>%{i}: dotted quad for IPv4, dot-separated nibbles for IPv6 (§7.3).</summary>
    private static string DottedAddress(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        var sb = new StringBuilder(63);
        foreach (var b in bytes)
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(Nibble(b >> 4)).Append('.').Append(Nibble(b & 0xF));
        }

        return sb.ToString();

        static char Nibble(int n) => (char)(n < 10 ? '0' + n : 'a' + n - 10);
    }
}
