using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DmarcCloud.Core.Reporting.Failure;

/// <summary>Replaces the local-part of mail addresses with an opaque token, keeping the domain.</summary>
/// <remarks>
/// RFC 6590 §4 (redaction of potentially sensitive data from ARF reports): the local-part is replaced by a string
/// derived from it with a secret, so the report consumer can still tell whether two reports concern the same
/// mailbox but cannot recover it. Token: <c>HMAC-SHA256(key, lower-case local-part)</c>, first 10 bytes, base32
/// (16 characters <c>a-z2-7</c>): a valid dot-atom, so redacted addresses still parse.
/// </remarks>
public sealed partial class LocalPartRedactor
{
    private readonly byte[] _key;

    /// <summary>Creates a redactor keyed with <paramref name="key"/>.</summary>
    public LocalPartRedactor(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>The token for <paramref name="localPart"/>.</summary>
    public string Token(string localPart)
    {
        ArgumentNullException.ThrowIfNull(localPart);
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(localPart.ToLowerInvariant()));
        return ReportIdentity.Base32(mac.AsSpan(0, 10));
    }

    /// <summary><paramref name="address"/> (<c>local@domain</c>) with its local-part replaced; an address without <c>@</c> is returned as a token alone.</summary>
    public string RedactAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        return at < 0 ? Token(address) : Token(address[..at]) + address[at..];
    }

    /// <summary>Every <c>local@domain</c> in free text (a Received field, a path) with its local-part replaced.</summary>
    public string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Address().Replace(text, m => Token(m.Groups["local"].Value) + "@" + m.Groups["domain"].Value);
    }

    // dot-atom or quoted-string local-part, then a domain of letters, digits, '-' and '.' (RFC 5322 §3.4.1).
    [GeneratedRegex(@"(?<local>""(?:[^""\\\r\n]|\\.){0,256}""|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,256})@(?<domain>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
