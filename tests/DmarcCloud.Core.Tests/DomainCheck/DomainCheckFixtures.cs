using System.Security.Cryptography;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Core.Tests.DomainCheck;

/// <summary>
/// Published-record fixtures for the domain checker: one small zone each (RFC 1035 master-file text, origin
/// example.com.), the domain and selectors checked, and the codes of every warning and error the checker must report
/// — no more, no fewer. Key placeholders (<c>{RSA2048}</c>, <c>{RSA1024}</c>, <c>{RSA512}</c>, <c>{ED25519}</c>) are
/// replaced by freshly made public keys, split into 255-octet character-strings.
/// </summary>
internal static class DomainCheckFixtures
{
    private const string Spf = "@ TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n";
    private const string Key = "sel._domainkey TXT {RSA2048}\n";
    private const string Reject = "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n";

    /// <summary>Name → (zone, domain, selectors, expected warning and error codes).</summary>
    public static readonly IReadOnlyDictionary<string, (string Zone, string Domain, string[] Selectors, string[] Expected)> Cases =
        new Dictionary<string, (string, string, string[], string[])>
        {
            ["clean reject"] = (Reject + Spf + Key, "example.com", ["sel"], []),
            ["no DMARC record"] = (Spf + Key, "example.com", ["sel"], ["dmarc.missing"]),
            ["subdomain inherits the parent's record"] = (Reject + Spf + Key + "sub TXT \"v=spf1 -all\"\n", "sub.example.com", [], ["dkim.none-found"]),
            ["two DMARC records"] = (Reject + "_dmarc TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.several-records"]),
            ["record at the apex instead of _dmarc"] = ("@ TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.wrong-name", "dmarc.missing"]),
            ["lower-case version"] = ("_dmarc TXT \"v=dmarc1; p=reject\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.bad-version", "dmarc.missing"]),
            ["duplicate and unknown tags"] = ("_dmarc TXT \"v=DMARC1; p=reject; p=none; rau=mailto:x@example.com; rua=mailto:dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"],
                ["dmarc.duplicate-tag", "dmarc.unknown-tag"]),
            ["bad rua URI"] = ("_dmarc TXT \"v=DMARC1; p=reject; rua=dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.bad-uri", "dmarc.no-rua"]),
            ["no p with rua"] = ("_dmarc TXT \"v=DMARC1; rua=mailto:dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.p-missing"]),
            ["no p and no rua"] = ("_dmarc TXT \"v=DMARC1; adkim=s\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.p-missing-no-rua", "dmarc.no-rua"]),
            ["invalid p with rua"] = ("_dmarc TXT \"v=DMARC1; p=block; rua=mailto:dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.invalid-policy"]),
            ["historic pct rf ri"] = ("_dmarc TXT \"v=DMARC1; p=quarantine; pct=50; rf=afrf; ri=3600; rua=mailto:dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"],
                ["dmarc.historic-pct", "dmarc.historic-rf", "dmarc.historic-ri"]),
            ["pct=0 with t=y is the compatible test"] = ("_dmarc TXT \"v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:dmarc@example.com\"\n" + Spf + Key, "example.com", ["sel"], []),
            ["obsolete size suffix and https URI"] = ("_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com!10m,https://r.example.com/dmarc\"\n" + Spf + Key, "example.com", ["sel"],
                ["dmarc.uri-scheme"]),
            ["external rua without authorization"] = ("_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@reports.example.net\"\n" + Spf + Key, "example.com", ["sel"], ["dmarc.external-unauthorized"]),
            ["external ruf without authorization"] = ("_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com; ruf=mailto:f@reports.example.net\"\n" + Spf + Key, "example.com", ["sel"],
                ["dmarc.external-unauthorized"]),
            ["external rua authorized"] = ("_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@reports.example.net\"\n"
                + "example.com._report._dmarc.reports.example.net. TXT \"v=DMARC1\"\n" + Spf + Key, "example.com", ["sel"], []),
            ["DMARC DNS timeout"] = (Spf + Key + "!fail _dmarc.example.com\n", "example.com", ["sel"], ["dmarc.temperror"]),
            ["no SPF record"] = (Reject + Key, "example.com", ["sel"], ["spf.missing"]),
            ["two SPF records"] = (Reject + Spf + "@ TXT \"v=spf1 -all\"\n" + Key, "example.com", ["sel"], ["spf.multiple"]),
            ["SPF syntax error"] = (Reject + "@ TXT \"v=spf1 ip4:192.0.2.300 -all\"\n" + Key, "example.com", ["sel"], ["spf.syntax"]),
            ["SPF +all"] = (Reject + "@ TXT \"v=spf1 ip4:192.0.2.1 +all\"\n" + Key, "example.com", ["sel"], ["spf.pass-all"]),
            ["SPF ?all and ptr"] = (Reject + "@ TXT \"v=spf1 ptr ?all\"\n" + Key, "example.com", ["sel"], ["spf.neutral-all", "spf.ptr"]),
            ["SPF without all"] = (Reject + "@ TXT \"v=spf1 ip4:192.0.2.1\"\n" + Key, "example.com", ["sel"], ["spf.no-all"]),
            ["SPF include without a record"] = (Reject + "@ TXT \"v=spf1 include:none.example.net -all\"\n" + Key, "example.com", ["sel"], ["spf.include-none"]),
            ["SPF include loop"] = (Reject + "@ TXT \"v=spf1 include:a.example.com -all\"\na TXT \"v=spf1 include:example.com -all\"\n" + Key, "example.com", ["sel"], ["spf.loop"]),
            ["SPF redirect after all"] = (Reject + "@ TXT \"v=spf1 -all redirect=_spf.example.com\"\n_spf TXT \"v=spf1 -all\"\n" + Key, "example.com", ["sel"], ["spf.redirect-ignored"]),
            ["SPF eleven lookups over the include tree"] = (Reject + "@ TXT \"v=spf1 include:i1.example.com include:i2.example.com include:i3.example.com -all\"\n"
                + "i1 TXT \"v=spf1 include:i4.example.com include:i5.example.com include:i6.example.com ~all\"\n"
                + "i2 TXT \"v=spf1 a mx include:i7.example.com ~all\"\ni3 TXT \"v=spf1 a ~all\"\ni3 A 192.0.2.3\n"
                + "i2 A 192.0.2.2\ni2 MX 10 i2.example.com.\n"
                + "i4 TXT \"v=spf1 -all\"\ni5 TXT \"v=spf1 -all\"\ni6 TXT \"v=spf1 -all\"\ni7 TXT \"v=spf1 exists:e.example.com -all\"\n" + Key,
                "example.com", ["sel"], ["spf.too-many-lookups"]),
            ["SPF nine lookups"] = (Reject + "@ TXT \"v=spf1 include:i1.example.com include:i2.example.com -all\"\n"
                + "i1 TXT \"v=spf1 include:i4.example.com include:i5.example.com include:i6.example.com ~all\"\n"
                + "i2 TXT \"v=spf1 a mx include:i7.example.com ~all\"\ni2 A 192.0.2.2\ni2 MX 10 i2.example.com.\n"
                + "i4 TXT \"v=spf1 -all\"\ni5 TXT \"v=spf1 -all\"\ni6 TXT \"v=spf1 -all\"\ni7 TXT \"v=spf1 a -all\"\ni7 A 192.0.2.7\n" + Key,
                "example.com", ["sel"], ["spf.near-lookup-limit"]),
            ["SPF three void lookups"] = (Reject + "@ TXT \"v=spf1 a:nx1.example.com a:nx2.example.com mx:nx3.example.com -all\"\n" + Key, "example.com", ["sel"], ["spf.void-lookups"]),
            ["SPF answer over 512 octets"] = (Reject + Spf + "@ TXT \"google-site-verification=" + new string('a', 200) + "\"\n@ TXT \"ms=" + new string('b', 250) + "\"\n" + Key,
                "example.com", ["sel"], ["spf.oversize-answer"]),
            ["SPF DNS timeout"] = (Reject + Key + "!fail example.com TXT\n", "example.com", ["sel"], ["spf.temperror"]),
            ["DKIM key missing"] = (Reject + Spf, "example.com", ["sel"], ["dkim.missing-key"]),
            ["DKIM 1024-bit key"] = (Reject + Spf + "sel._domainkey TXT {RSA1024}\n", "example.com", ["sel"], ["dkim.rsa-weak"]),
            ["DKIM 512-bit key"] = (Reject + Spf + "sel._domainkey TXT {RSA512}\n", "example.com", ["sel"], ["dkim.rsa-too-small"]),
            ["DKIM t=y and h=sha1"] = (Reject + Spf + "sel._domainkey TXT {RSA2048-t=y;h=sha1}\n", "example.com", ["sel"], ["dkim.testing", "dkim.sha1-only"]),
            ["DKIM revoked key"] = (Reject + Spf + "sel._domainkey TXT \"v=DKIM1; k=rsa; p=\"\n", "example.com", ["sel"], ["dkim.revoked"]),
            ["DKIM unknown key type"] = (Reject + Spf + "sel._domainkey TXT \"v=DKIM1; k=dsa; p=AAAA\"\n", "example.com", ["sel"], ["dkim.unknown-key-type"]),
            ["DKIM unparsable record"] = (Reject + Spf + "sel._domainkey TXT \"v=DKIM2; p=AAAA\"\n", "example.com", ["sel"], ["dkim.invalid-record"]),
            ["DKIM Ed25519 key"] = (Reject + Spf + "sel._domainkey TXT {ED25519}\n", "example.com", ["sel"], []),
            ["DKIM Ed25519 key that is not a curve point"] = (Reject + Spf + "sel._domainkey TXT {ED25519BAD}\n", "example.com", ["sel"], ["dkim.bad-key"]),
            ["DKIM key under a well-known selector"] = (Reject + Spf + "google._domainkey TXT {RSA2048}\n", "example.com", [], []),
            ["DKIM nothing under the well-known selectors"] = (Reject + Spf, "example.com", [], ["dkim.none-found"]),
            ["DKIM DNS timeout"] = (Reject + Spf + "!fail sel._domainkey.example.com\n", "example.com", ["sel"], ["dkim.temperror"]),
        };

    private static readonly Lazy<Dictionary<string, string>> Keys = new(() =>
    {
        string Rsa(int bits)
        {
            using var rsa = RSA.Create(bits);
            return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        }

        return new Dictionary<string, string>
        {
            ["RSA2048"] = Rsa(2048),
            ["RSA1024"] = Rsa(1024),
            ["RSA512"] = Rsa(512),
            ["ED25519"] = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", // RFC 8463 Appendix A.2
            ["ED25519BAD"] = Convert.ToBase64String(Enumerable.Repeat((byte)0xFF, 32).ToArray()), // y ≥ p: not a curve point
        };
    });

    /// <summary>The zone of a fixture: placeholders filled, <c>!fail name [TYPE]</c> lines made temporary failures.</summary>
    public static DnsZone Zone(string text)
    {
        var failures = new List<(string Name, DnsRecordType? Type)>();
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("!fail ", StringComparison.Ordinal))
            {
                var parts = line[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                failures.Add((parts[0], parts.Length > 1 ? Enum.Parse<DnsRecordType>(parts[1], ignoreCase: true) : null));
                continue;
            }

            lines.Add(FillKeys(line));
        }

        var parsed = ZoneFileParser.Parse(string.Join('\n', lines), "example.com.");
        Assert.True(parsed.Success, string.Join("; ", parsed.Errors));
        foreach (var (name, type) in failures)
        {
            parsed.Zone.AddTemporaryFailure(name, type);
        }

        return parsed.Zone;
    }

    private static string FillKeys(string line)
    {
        var open = line.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return line;
        }

        var close = line.IndexOf('}', open);
        var spec = line[(open + 1)..close].Split('-', 2);
        var key = Keys.Value[spec[0]];
        var tags = spec.Length > 1 ? spec[1].Replace(";", "; ", StringComparison.Ordinal) + "; " : string.Empty;
        var text = $"v=DKIM1; k={(spec[0].StartsWith("ED25519", StringComparison.Ordinal) ? "ed25519" : "rsa")}; {tags}p={key}";
        var strings = Enumerable.Range(0, (text.Length + 254) / 255).Select(i => "\"" + text.Substring(i * 255, Math.Min(255, text.Length - (i * 255))) + "\"");
        return line[..open] + string.Join(' ', strings) + line[(close + 1)..];
    }
}
