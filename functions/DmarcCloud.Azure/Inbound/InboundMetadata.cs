using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Azure.Inbound;

/// <summary>
/// The inbound contract (docs/inbound.md): the SMTP envelope of a message travels in the metadata of its blob
/// in container <c>inbound</c>. Blob metadata names are case-insensitive C# identifiers and values are ASCII,
/// so non-ASCII text (SMTPUTF8 addresses) is written as an RFC 2047 encoded word <c>=?utf-8?b?…?=</c>.
/// </summary>
public static class InboundMetadata
{
    /// <summary>The inbound container.</summary>
    public const string Container = "inbound";

    /// <summary>Connecting client IP address (IPv4 or IPv6 text). Required.</summary>
    public const string ClientIp = "clientip";

    /// <summary>HELO/EHLO name.</summary>
    public const string Helo = "helo";

    /// <summary>MAIL FROM address without angle brackets; empty or <c>&lt;&gt;</c> for the null reverse-path.</summary>
    public const string MailFrom = "mailfrom";

    /// <summary>RCPT TO addresses: comma-separated, or a JSON array of strings.</summary>
    public const string RcptTo = "rcptto";

    /// <summary>When the gateway received the message: ISO 8601 with offset, normally UTC (<c>2026-11-22T15:04:05Z</c>).</summary>
    public const string ReceivedAt = "receivedat";

    /// <summary><c>true</c> when the client authenticated (SMTP AUTH): a submission, not inbound mail.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>Writes <paramref name="envelope"/> as blob metadata.</summary>
    public static Dictionary<string, string> ToMetadata(SmtpEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ClientIp] = envelope.ClientIp.ToString(),
            [MailFrom] = Encode(envelope.MailFrom ?? string.Empty),
            [RcptTo] = Encode(string.Join(',', envelope.RcptTo)),
            [ReceivedAt] = envelope.ReceivedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            [Authenticated] = envelope.Authenticated ? "true" : "false",
        };
        if (!string.IsNullOrEmpty(envelope.Helo))
        {
            metadata[Helo] = Encode(envelope.Helo);
        }

        return metadata;
    }

    /// <summary>
    /// Reads the envelope from blob metadata. <paramref name="fallbackReceivedAt"/> (the blob's creation time)
    /// is used when <c>receivedat</c> is absent. Returns null with <paramref name="error"/> when unusable.
    /// </summary>
    public static SmtpEnvelope? TryParse(IDictionary<string, string> metadata, DateTimeOffset fallbackReceivedAt, out string? error)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var values = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
        string? Get(string name) => values.TryGetValue(name, out var value) ? Decode(value.Trim()) : null;

        var ipText = Get(ClientIp) ?? Get("x_client_ip") ?? Get("client_ip");
        if (string.IsNullOrEmpty(ipText))
        {
            error = $"blob metadata '{ClientIp}' is missing";
            return null;
        }

        if (!IPAddress.TryParse(ipText.Trim('[', ']'), out var ip))
        {
            error = $"blob metadata '{ClientIp}' is not an IP address: '{Shorten(ipText)}'";
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var receivedAt = fallbackReceivedAt;
        if (Get(ReceivedAt) is { Length: > 0 } receivedText)
        {
            if (!DateTimeOffset.TryParse(receivedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out receivedAt))
            {
                error = $"blob metadata '{ReceivedAt}' is not an ISO 8601 time: '{Shorten(receivedText)}'";
                return null;
            }
        }

        var authenticatedText = Get(Authenticated);
        var authenticated = authenticatedText is not null &&
            (authenticatedText.Equals("true", StringComparison.OrdinalIgnoreCase) || authenticatedText is "1" or "yes");

        var mailFrom = Get(MailFrom)?.Trim();
        if (mailFrom is not null && mailFrom.StartsWith('<') && mailFrom.EndsWith('>'))
        {
            mailFrom = mailFrom[1..^1];
        }

        List<string> rcptTo;
        try
        {
            rcptTo = ParseRecipients(Get(RcptTo));
        }
        catch (JsonException ex)
        {
            error = $"blob metadata '{RcptTo}' is not a JSON array of strings: {ex.Message}";
            return null;
        }

        error = null;
        return new SmtpEnvelope(ip, string.IsNullOrWhiteSpace(Get(Helo)) ? null : Get(Helo), mailFrom, rcptTo, receivedAt.ToUniversalTime(), authenticated);
    }

    private static List<string> ParseRecipients(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        text = text.Trim();
        var raw = text.StartsWith('[')
            ? JsonSerializer.Deserialize(text, InboundJsonContext.Default.ListString) ?? []
            : [.. text.Split(',')];
        return raw.Select(r => r.Trim().Trim('<', '>').Trim()).Where(r => r.Length > 0).ToList();
    }

    /// <summary>Encodes a value as ASCII: as is when it is printable ASCII, else an RFC 2047 base64 encoded word.</summary>
    public static string Encode(string value) =>
        value.All(c => c is >= ' ' and < (char)0x7f) && !value.StartsWith("=?", StringComparison.Ordinal)
            ? value
            : "=?utf-8?b?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";

    /// <summary>Decodes a value written by <see cref="Encode"/>.</summary>
    public static string Decode(string value)
    {
        const string prefix = "=?utf-8?b?";
        if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && value.EndsWith("?=", StringComparison.Ordinal))
        {
            var payload = value[prefix.Length..^2];
            var buffer = new byte[payload.Length];
            if (Convert.TryFromBase64String(payload, buffer, out var written))
            {
                return Encoding.UTF8.GetString(buffer, 0, written);
            }
        }

        return value;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
