using DmarcCloud.Core.Rfc5322;

namespace DmarcCloud.Core.AuthResults;

/// <summary>Reads Authentication-Results (and ARC-Authentication-Results) payloads. Pure and total: never throws.</summary>
/// <remarks>
/// RFC 8601 §2.2 (syntax), RFC 8617 §4.1.1 (AAR: <c>i=n;</c> before the payload). Comments are removed by
/// <see cref="Rfc5322Lexer"/> (RFC 8601 §2.2 uses RFC 5322 CFWS), the same rules as the From field's.
/// </remarks>
public static class AuthenticationResultsParser
{
    /// <summary>
    /// The longest payload read: 65,536 characters, twice <see cref="Mime.MessageLimits.MaxHeaderFieldBytes"/>'s
    /// default. A longer payload gives no authserv-id and no results (the parser allocates a few times its input).
    /// </summary>
    public const int MaxPayloadLength = 65_536;

    /// <summary>
    /// The authserv-id and the results of a payload. A leading field name ("Authentication-Results:") and a leading
    /// <c>i=n;</c> instance tag are skipped.
    /// </summary>
    public static (string AuthServId, IReadOnlyList<AuthenticationResultEntry> Results) Parse(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length > MaxPayloadLength)
        {
            // Larger than any header field MessageLimits lets through: not a real field, and no result is read from it.
            return (string.Empty, []);
        }

        var text = Rfc5322Lexer.StripComments(payload.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)).Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && text[..colon].Trim().EndsWith("Authentication-Results", StringComparison.OrdinalIgnoreCase))
        {
            text = text[(colon + 1)..];
        }

        var parts = Rfc5322Lexer.SplitOutsideQuotes(text, ';').Select(p => p.Trim()).ToList();
        if (parts.Count > 0 && parts[0].StartsWith("i=", StringComparison.OrdinalIgnoreCase))
        {
            parts.RemoveAt(0);
        }

        var authServId = parts.Count > 0 ? parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty : string.Empty;
        var results = new List<AuthenticationResultEntry>();
        foreach (var part in parts.Skip(1))
        {
            var tokens = Rfc5322Lexer.SplitOutsideQuotes(part, ' ').Where(t => t.Length > 0).ToList();
            if (tokens.Count == 0)
            {
                continue;
            }

            var eq = tokens[0].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue; // "none" (no results) or garbage
            }

            var method = tokens[0][..eq].Split('/')[0].ToLowerInvariant();
            var result = tokens[0][(eq + 1)..].ToLowerInvariant();
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var token in tokens.Skip(1))
            {
                var peq = token.IndexOf('=', StringComparison.Ordinal);
                if (peq > 0 && token[..peq].Contains('.', StringComparison.Ordinal))
                {
                    properties.TryAdd(token[..peq].ToLowerInvariant(), token[(peq + 1)..].Trim('"'));
                }
            }

            results.Add(new AuthenticationResultEntry(method, result, properties));
        }

        return (authServId, results);
    }
}
