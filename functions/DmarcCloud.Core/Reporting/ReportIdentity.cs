using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DmarcCloud.Core.Reporting;

/// <summary>Deterministic Report-IDs and filenames: the same report built again gets the same ID and name.</summary>
/// <remarks>
/// RFC 9990 §3.1.1 (<c>report_id</c>: <c>dot-atom["@"dot-atom]</c>, unique per destination, the same in body,
/// Subject and filename) and §2.4 (filename <c>receiver "!" policy-domain "!" begin "!" end "!" unique-id
/// ".xml.gz"</c>, <c>unique-id = 1*(ALPHA / DIGIT)</c>). Retries and resends keep the ID, so a consumer can
/// drop duplicates (parsedmarc#535, #665).
/// </remarks>
public static class ReportIdentity
{
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The unique-id: base32 (lower-case, no padding) of the first 160 bits of a SHA-256 over the inputs.</summary>
    public static string UniqueId(string reporterDomain, string policyDomain, long begin, long end, string configurationKey, int part)
    {
        var input = string.Join(
            '\n',
            reporterDomain.ToLowerInvariant(),
            policyDomain.ToLowerInvariant(),
            begin.ToString(CultureInfo.InvariantCulture),
            end.ToString(CultureInfo.InvariantCulture),
            configurationKey,
            part.ToString(CultureInfo.InvariantCulture));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        return Base32(hash.AsSpan(0, 20));
    }

    /// <summary>The Report-ID: <c>unique-id@reporter-domain</c>.</summary>
    public static string ReportId(string uniqueId, string reporterDomain) => uniqueId + "@" + reporterDomain.ToLowerInvariant();

    /// <summary>The attachment filename: <c>receiver!policy-domain!begin!end!unique-id.xml.gz</c>.</summary>
    public static string FileName(string reporterDomain, string policyDomain, long begin, long end, string uniqueId) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{reporterDomain.ToLowerInvariant()}!{policyDomain.ToLowerInvariant()}!{begin}!{end}!{uniqueId}.xml.gz");

    internal static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }
}
