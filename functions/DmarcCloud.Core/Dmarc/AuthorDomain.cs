using System.Globalization;
using System.Text;
using DmarcCloud.Core.Rfc5322;

namespace DmarcCloud.Core.Dmarc;

/// <summary>Reads the author domain(s) out of RFC 5322 From field values. Pure and total: never throws.</summary>
/// <remarks>
/// RFC 5322 §3.4 (address lists: display names, quoted strings with commas, comments, groups), RFC 2047
/// (encoded words only ever appear in display names, which are skipped), RFC 6532 (UTF-8 domains, turned
/// into A-labels per RFC 5891). Tolerates what real mail carries: a leading "From:" left in the value, stray
/// angle brackets, spaces inside angle brackets.
/// </remarks>
public static class AuthorDomain
{
    /// <summary>
    /// The longest From field text read: 65,536 characters (four times <see cref="Mime.MessageLimits.MaxFromFieldBytes"/>'s
    /// default); longer gives <see cref="AuthorDomainProblem.MessageRefused"/> before any parsing.
    /// </summary>
    public const int MaxFieldLength = 65_536;

    /// <summary>Reads the author domains from the values of every From field of a message (usually one).</summary>
    public static AuthorDomainResult Parse(IReadOnlyList<string> fromFieldValues)
    {
        ArgumentNullException.ThrowIfNull(fromFieldValues);
        if (fromFieldValues.Count == 0)
        {
            return new AuthorDomainResult(AuthorDomainProblem.NoFromField, [], [], "no From header field");
        }

        var total = fromFieldValues.Sum(v => (long)(v?.Length ?? 0));
        if (total > MaxFieldLength)
        {
            // MessageEvaluator refuses such a message earlier (MessageLimits.MaxFromFieldBytes); this guards direct callers.
            return new AuthorDomainResult(AuthorDomainProblem.MessageRefused, [], [], $"the From field is {total} characters, over the limit of {MaxFieldLength}");
        }

        var addresses = new List<string>();
        foreach (var value in fromFieldValues)
        {
            addresses.AddRange(ExtractAddresses(value));
        }

        var domains = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            var at = address.LastIndexOf('@');
            var domain = at < 0 ? string.Empty : address[(at + 1)..];
            var ascii = ToALabel(domain);
            if (ascii is null)
            {
                return new AuthorDomainResult(AuthorDomainProblem.InvalidDomain, addresses, domains, $"invalid author domain in '{address}'");
            }

            if (seen.Add(ascii))
            {
                domains.Add(ascii);
            }
        }

        if (fromFieldValues.Count > 1)
        {
            return new AuthorDomainResult(AuthorDomainProblem.SeveralFromFields, addresses, domains, $"{fromFieldValues.Count} From header fields");
        }

        if (addresses.Count == 0)
        {
            return new AuthorDomainResult(AuthorDomainProblem.NoAddress, addresses, domains, $"no address in From: {fromFieldValues[0].Trim()}");
        }

        return domains.Count > 1
            ? new AuthorDomainResult(AuthorDomainProblem.SeveralDomains, addresses, domains, $"From holds {domains.Count} author domains")
            : new AuthorDomainResult(AuthorDomainProblem.None, addresses, domains);
    }

    /// <summary>Reads the author domain from one From field value.</summary>
    public static AuthorDomainResult Parse(string fromFieldValue) => Parse([fromFieldValue]);

    /// <summary>The A-label form of a domain (lower-case, no trailing dot), or null when it is not a valid host name.</summary>
    public static string? ToALabel(string domain)
    {
        var name = domain.Trim().TrimEnd('.');
        if (name.Length == 0 || name.Length > 253 || name.StartsWith('[') || name.StartsWith('.'))
        {
            return null;
        }

        if (!name.All(char.IsAscii))
        {
            try
            {
                name = new IdnMapping().GetAscii(name);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        name = name.ToLowerInvariant();
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        return name;
    }

    /// <summary>The addr-specs in one address-list value (display names, comments and group names removed).</summary>
    internal static List<string> ExtractAddresses(string value)
    {
        var result = new List<string>();
        foreach (var item in Rfc5322Lexer.SplitOutsideQuotes(Rfc5322Lexer.StripComments(Unfold(value)), ',', outsideAngleBrackets: true))
        {
            var text = item;

            // A group ("name: a@b, c@d;") or a stray "From:" prefix: drop what precedes a top-level colon that
            // comes before any '@' or '<'.
            var colon = IndexOutsideQuotes(text, ':');
            var firstAt = IndexOutsideQuotes(text, '@');
            var firstAngle = IndexOutsideQuotes(text, '<');
            if (colon >= 0 && (firstAt < 0 || colon < firstAt) && (firstAngle < 0 || colon < firstAngle))
            {
                text = text[(colon + 1)..];
            }

            text = RemoveQuoted(text).Trim().TrimEnd(';').Trim();
            // The angle-addr is the last "<…>" holding an '@' and no other '<' (stray brackets around it are
            // tolerated); an unclosed '<' runs to the end. One pass: each '<' restarts the candidate, each '>' ends it.
            var candidate = text;
            var open = -1;
            var sawAt = false;
            for (var i = 0; i < text.Length; i++)
            {
                switch (text[i])
                {
                    case '<':
                        open = i;
                        sawAt = false;
                        break;
                    case '@' when open >= 0:
                        sawAt = true;
                        break;
                    case '>' when open >= 0:
                        if (sawAt)
                        {
                            candidate = text[(open + 1)..i];
                        }

                        open = -1;
                        break;
                }
            }

            if (open >= 0 && sawAt)
            {
                candidate = text[(open + 1)..];
            }

            candidate = candidate.Trim().Trim('<', '>').Trim();

            // An obsolete route ("@a,@b:user@example.com") precedes the addr-spec.
            var routeEnd = candidate.StartsWith('@') ? candidate.IndexOf(':', StringComparison.Ordinal) : -1;
            if (routeEnd >= 0)
            {
                candidate = candidate[(routeEnd + 1)..];
            }

            var atSign = candidate.LastIndexOf('@');
            if (atSign > 0 && !candidate[atSign..].Any(char.IsWhiteSpace) && (candidate.StartsWith('"') || !candidate.Any(char.IsWhiteSpace)))
            {
                result.Add(candidate);
            }
        }

        return result;
    }

    private static string Unfold(string value) => value.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);

    private static string RemoveQuoted(string value)
    {
        // A quoted local part ("john doe"@example.com) is kept; a quoted display name is dropped.
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '"')
            {
                sb.Append(value[i]);
                continue;
            }

            var end = i + 1;
            while (end < value.Length && value[end] != '"')
            {
                end += value[end] == '\\' ? 2 : 1;
            }

            var afterQuote = Math.Min(end + 1, value.Length);
            if (afterQuote < value.Length && value[afterQuote] == '@')
            {
                sb.Append(value, i, afterQuote - i);
            }
            else
            {
                sb.Append(' ');
            }

            i = afterQuote - 1;
        }

        return sb.ToString();
    }

    private static int IndexOutsideQuotes(string value, char target)
    {
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && quoted)
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == target)
            {
                return i;
            }
        }

        return -1;
    }
}
