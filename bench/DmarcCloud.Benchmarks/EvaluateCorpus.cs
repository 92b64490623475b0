using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.OfflineDns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// The whole-evaluation corpus under bench/corpus/evaluate, shared by <see cref="EvaluateBenchmarks"/>,
/// <c>evaluate-worker</c> (scripts/bench-evaluate.sh) and the mailauth side (scripts/bench-evaluate.mjs):
/// messages (*.eml), their SMTP envelopes and expected results (manifest.json) and one zone file (bench.zone)
/// that both engines answer from. <see cref="Generate"/> rebuilds the files from the committed keys
/// (bench/corpus/dkim/rsa2048.pem and ed25519.b64; esp2048/list2048/spoof2048.pem made once with openssl
/// for this corpus only). Message text and signature timestamps are fixed, so output is deterministic
/// except for RSA-PSS-free PKCS#1 signatures, which are deterministic too.
/// </summary>
internal static class EvaluateCorpus
{
    private const long SignedAt = 1_796_000_000; // 2026-11-28, fixed so that the files do not change on regeneration

    public static string Directory => Path.Combine(Path.GetDirectoryName(DkimCorpus.Directory)!, "evaluate");

    public static IReadOnlyList<Entry> Manifest() =>
        JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(Path.Combine(Directory, "manifest.json")), JsonOptions)!;

    public static DnsZone Zone()
    {
        var parsed = ZoneFileParser.Parse(File.ReadAllText(Path.Combine(Directory, "bench.zone")));
        return parsed.Success ? parsed.Zone : throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }

    public static SmtpEnvelope Envelope(Entry entry) =>
        new(IPAddress.Parse(entry.Ip), entry.Helo, entry.MailFrom, ["postmaster@receiver.example"], new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public static MessageEvaluatorOptions Options() => new() { AuthServId = "mx.receiver.example" };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One corpus message: its class, envelope and the results both engines must report.</summary>
    public sealed record Entry(
        string File, string Class, string Description, string Ip, string Helo, string MailFrom,
        string Spf, string[] Dkim, string Arc, string Dmarc);

    public static void Generate()
    {
        var dir = Directory;
        var dkimDir = DkimCorpus.Directory;
        var author = LoadRsa(Path.Combine(dkimDir, "rsa2048.pem"));
        var esp = LoadRsa(Path.Combine(dir, "esp2048.pem"));
        var list = LoadRsa(Path.Combine(dir, "list2048.pem"));
        var spoof = LoadRsa(Path.Combine(dir, "spoof2048.pem"));
        var seed = Convert.FromBase64String(File.ReadAllText(Path.Combine(dkimDir, "ed25519.b64")).Trim());
        var edPublic = new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded();

        File.WriteAllText(Path.Combine(dir, "bench.zone"), ZoneText(author.Rsa, esp.Rsa, list.Rsa, spoof.Rsa, edPublic));

        DkimSigner Rsa(PemKey key, string domain, string selector) => new FixedDkimSigner(key.Path, domain, selector);
        DkimSigner Ed(string domain, string selector) => new FixedEd25519Signer(new Ed25519PrivateKeyParameters(seed), domain, selector);
        var manifest = new List<Entry>();

        // Typical direct mail: one RSA-2048 signature, SPF pass deep in an include tree (HELO has its own record).
        var m = Message("Alice <alice@author.example>", "Quarterly numbers", 3_000, 1);
        Sign(m, Rsa(author, "author.example", "s2048"));
        Write(dir, manifest, m, new Entry("typical-rsa2048.eml", "typical", "author.example direct, DKIM rsa-2048 aligned, SPF pass via include tree",
            "198.51.100.77", "mail.author.example", "bounce@author.example", "pass", ["pass"], "none", "pass"));

        // Through an ESP: aligned Ed25519 + the ESP's RSA-2048, SPF passes for the ESP (not aligned).
        m = Message("News <news@author.example>", "This week at author.example", 5_000, 2);
        Sign(m, Ed("author.example", "ed"), Rsa(esp, "esp.example", "esp1"));
        Write(dir, manifest, m, new Entry("typical-ed25519-esp.eml", "typical", "author.example via esp.example: Ed25519 aligned + ESP rsa-2048, SPF pass unaligned",
            "203.0.113.50", "out.esp.example", "bounces+news@esp.example", "pass", ["pass", "pass"], "none", "pass"));

        // Three signatures: author RSA-2048, author Ed25519, ESP RSA-2048.
        m = Message("News <news@author.example>", "Monthly digest", 8_000, 3);
        Sign(m, Rsa(author, "author.example", "s2048"), Ed("author.example", "ed"), Rsa(esp, "esp.example", "esp1"));
        Write(dir, manifest, m, new Entry("typical-3sig.eml", "typical", "three signatures (rsa-2048, ed25519 aligned; ESP rsa-2048), SPF pass unaligned",
            "203.0.113.51", "out.esp.example", "bounces+news@esp.example", "pass", ["pass", "pass", "pass"], "none", "pass"));

        // Spoof: From author.example (p=reject), signed by the attacker's own domain, SPF passes for it only.
        m = Message("CEO <ceo@author.example>", "Urgent wire transfer", 2_500, 4);
        Sign(m, Rsa(spoof, "spoof.example", "k1"));
        Write(dir, manifest, m, new Entry("dmarc-fail.eml", "typical", "spoof of author.example (p=reject): DKIM and SPF pass for spoof.example only",
            "192.0.2.66", "mail.spoof.example", "attacker@spoof.example", "pass", ["pass"], "none", "fail"));

        // No DMARC record.
        m = Message("Bob <bob@nopolicy.example>", "Hello", 4_000, 5);
        Sign(m, Ed("nopolicy.example", "ed"));
        Write(dir, manifest, m, new Entry("dmarc-none.eml", "typical", "nopolicy.example: Ed25519 and SPF pass, no DMARC record",
            "192.0.2.200", "mail.nopolicy.example", "bob@nopolicy.example", "pass", ["pass"], "none", "none"));

        // Mailing list: author signature broken by subject tag and footer, list ARC-seals (RSA-2048) and signs.
        m = Message("Alice <alice@author.example>", "Meeting notes", 6_000, 6);
        Sign(m, Rsa(author, "author.example", "s2048"));
        m.Subject = "[discuss] Meeting notes";
        var alternative = (Multipart)m.Body!;
        ((TextPart)alternative[0]).Text += "\r\n-- \r\ndiscuss mailing list\r\nhttps://list.example/discuss\r\n";
        m.Headers.Add("List-Id", "<discuss.list.example>");
        new FixedArcSigner(list.Path, "list.example", "arc1").Sign(
            FormatOptions.Default, m, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ListId]);
        Sign(m, Rsa(list, "list.example", "arc1"));
        Write(dir, manifest, m, new Entry("arc-forwarded.eml", "arc", "author.example via list.example: author DKIM broken, list DKIM + ARC (cv=none) pass, SPF pass for the list",
            "203.0.113.10", "mail.list.example", "discuss-bounces@list.example", "pass", ["pass", "fail"], "pass", "fail"));

        // Large messages (linearity: 100 KB and 200 KB bodies, same shape).
        foreach (var kb in new[] { 100, 200 })
        {
            m = LargeMessage(kb * 1024, kb / 10);
            Sign(m, Rsa(author, "author.example", "s2048"));
            Write(dir, manifest, m, new Entry($"large-{kb}k.eml", "large", $"{kb} KB text message, DKIM rsa-2048 aligned, SPF pass",
                "198.51.100.77", "mail.author.example", "bounce@author.example", "pass", ["pass"], "none", "pass"));
        }

        File.WriteAllText(Path.Combine(dir, "manifest.json"), JsonSerializer.Serialize(manifest, JsonOptions) + "\n");
    }

    private sealed record PemKey(string Path, RSA Rsa);

    private static PemKey LoadRsa(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return new PemKey(path, rsa);
    }

    private static string ZoneText(RSA author, RSA esp, RSA list, RSA spoof, byte[] edPublic)
    {
        var z = new StringBuilder();
        z.Append("; Whole-evaluation benchmark zone (generated by EvaluateCorpus.Generate; do not edit by hand).\n");
        z.Append("; One record per line, absolute names, TXT as quoted strings: read by ZoneFileParser and by scripts/bench-evaluate.mjs.\n");
        void Txt(string name, string text)
        {
            // 255-octet character-strings (RFC 1035 §3.3.14), as a DNS server would publish a long record.
            var chunks = Enumerable.Range(0, (text.Length + 254) / 255).Select(i => "\"" + text.Substring(i * 255, Math.Min(255, text.Length - (i * 255))) + "\"");
            z.Append(CultureInfo.InvariantCulture, $"{name}. IN TXT {string.Join(' ', chunks)}\n");
        }

        // author.example: mx + ESP + its own netblocks three levels deep (7 DNS-querying terms).
        Txt("author.example", "v=spf1 mx include:_spf.esp.example include:_netblocks.author.example -all");
        z.Append("author.example. IN MX 10 mx1.author.example.\nauthor.example. IN MX 20 mx2.author.example.\n");
        z.Append("mx1.author.example. IN A 192.0.2.10\nmx2.author.example. IN A 192.0.2.11\n");
        Txt("_netblocks.author.example", "v=spf1 include:_nb1.author.example include:_nb2.author.example include:_nb3.author.example -all");
        for (var block = 1; block <= 3; block++)
        {
            var terms = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                terms.Add(i % 4 == 3 ? $"ip6:2001:db8:{block:x}:{i:x}::/64" : $"ip4:198.51.{(block * 20) + i}.0/24");
            }

            if (block == 3)
            {
                terms.Add("ip4:198.51.100.0/24");
            }

            Txt($"_nb{block}.author.example", "v=spf1 " + string.Join(' ', terms) + " ~all");
        }

        Txt("mail.author.example", "v=spf1 a -all");
        z.Append("mail.author.example. IN A 198.51.100.77\n");
        Txt("_dmarc.author.example", "v=DMARC1; p=reject; rua=mailto:dmarc@author.example; adkim=r; aspf=r");
        Txt("s2048._domainkey.author.example", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(author.ExportSubjectPublicKeyInfo()));
        Txt("ed._domainkey.author.example", "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(edPublic));

        Txt("esp.example", "v=spf1 include:_spf.esp.example -all");
        Txt("_spf.esp.example", "v=spf1 ip4:203.0.113.48/28 ip6:2001:db8:e5b::/48 -all");
        Txt("out.esp.example", "v=spf1 ip4:203.0.113.48/28 -all");
        Txt("_dmarc.esp.example", "v=DMARC1; p=none");
        Txt("esp1._domainkey.esp.example", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(esp.ExportSubjectPublicKeyInfo()));

        Txt("list.example", "v=spf1 ip4:203.0.113.10 -all");
        Txt("mail.list.example", "v=spf1 ip4:203.0.113.10 -all");
        Txt("_dmarc.list.example", "v=DMARC1; p=none");
        Txt("arc1._domainkey.list.example", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(list.ExportSubjectPublicKeyInfo()));

        Txt("spoof.example", "v=spf1 ip4:192.0.2.64/28 -all");
        Txt("mail.spoof.example", "v=spf1 ip4:192.0.2.64/28 -all");
        Txt("k1._domainkey.spoof.example", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(spoof.ExportSubjectPublicKeyInfo()));

        Txt("nopolicy.example", "v=spf1 ip4:192.0.2.200 -all");
        Txt("mail.nopolicy.example", "v=spf1 ip4:192.0.2.200 -all");
        Txt("ed._domainkey.nopolicy.example", "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(edPublic));
        return z.ToString();
    }

    /// <summary>A multipart/alternative newsletter-like message of about <paramref name="size"/> bytes with a realistic header block.</summary>
    private static MimeMessage Message(string from, string subject, int size, int n)
    {
        var message = Headers(from, subject, n);
        var text = Text(size / 3, (uint)n);
        var html = "<html><body><p>" + Text(size / 2, (uint)(n + 100)).Replace("\r\n\r\n", "</p>\r\n<p>", StringComparison.Ordinal) + "</p></body></html>\r\n";
        message.Body = new MultipartAlternative
        {
            new TextPart("plain") { Text = text, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            new TextPart("html") { Text = html, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
        };
        return message;
    }

    private static MimeMessage LargeMessage(int size, int n)
    {
        var message = Headers("Alice <alice@author.example>", "Large report", n);
        message.Body = new TextPart("plain") { Text = Text(size, (uint)n) };
        return message;
    }

    private static MimeMessage Headers(string from, string subject, int n)
    {
        var message = new MimeMessage();
        var date = new DateTimeOffset(2026, 11, 28, 9, n, 0, TimeSpan.Zero);
        message.Headers.Add("Received", $"from mail.relay{n}.example (mail.relay{n}.example [192.0.2.{n}]) by mx.receiver.example with ESMTPS id {n:x8}; {date:R}");
        message.Headers.Add("Received", $"from internal{n}.author.example ([10.0.0.{n}]) by mail.relay{n}.example with ESMTP id {n * 31:x8}; {date:R}");
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("Receiver <postmaster@receiver.example>"));
        message.Subject = subject;
        message.Date = date;
        message.MessageId = $"bench-{n}@author.example";
        message.Headers.Add("List-Unsubscribe", $"<https://author.example/unsubscribe/{n}>, <mailto:unsubscribe-{n}@author.example>");
        message.Headers.Add("X-Mailer", "DmarcCloud benchmark corpus");
        message.Headers.Add(HeaderId.MimeVersion, "1.0"); // present before signing (MimeKit would add it only when writing)
        return message;
    }

    /// <summary>Deterministic text of about <paramref name="size"/> bytes, with trailing spaces, double spaces and blank lines.</summary>
    private static string Text(int size, uint state)
    {
        string[] words = ["mail", "report", "domain", "alignment", "policy", "signature", "relaxed", "header", "the", "a", "of", "and", "forwarding"];
        var text = new StringBuilder();
        var line = 0;
        var column = 0;
        while (text.Length < size)
        {
            state = (state * 1103515245) + 12345;
            var word = words[(state >> 16) % (uint)words.Length];
            text.Append(word).Append(((state >> 8) & 15) == 0 ? "  " : " ");
            column += word.Length + 1;
            if (column > 66)
            {
                column = 0;
                text.Append(++line % 7 == 0 ? " \r\n\r\n" : "\r\n");
            }
        }

        return text.Append("\r\n").ToString();
    }

    private static void Sign(MimeMessage message, params DkimSigner[] signers)
    {
        HeaderId[] headers = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ContentType, HeaderId.MimeVersion];
        foreach (var signer in signers)
        {
            signer.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            signer.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            signer.Sign(message, headers);
        }
    }

    private static void Write(string dir, List<Entry> manifest, MimeMessage message, Entry entry)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = File.Create(Path.Combine(dir, entry.File));
        message.WriteTo(options, stream);
        manifest.Add(entry);
    }

    private sealed class FixedDkimSigner(string key, string domain, string selector)
        : DkimSigner(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        protected override long GetTimestamp() => SignedAt;
    }

    private sealed class FixedEd25519Signer(Ed25519PrivateKeyParameters key, string domain, string selector)
        : DkimSigner(key, domain, selector, DkimSignatureAlgorithm.Ed25519Sha256)
    {
        protected override long GetTimestamp() => SignedAt;
    }

    /// <summary>The list's ARC signer: what list.example saw on arrival, with a fixed timestamp.</summary>
    private sealed class FixedArcSigner : ArcSigner
    {
        public FixedArcSigner(string key, string domain, string selector)
            : base(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        }

        protected override long GetTimestamp() => SignedAt;

        protected override AuthenticationResults GenerateArcAuthenticationResults(FormatOptions options, MimeMessage message, CancellationToken cancellationToken)
        {
            var results = new AuthenticationResults("mail.list.example");
            results.Results.Add(new AuthenticationMethodResult("dkim", "pass") { Properties = { new AuthenticationMethodProperty("header", "d", "author.example") } });
            results.Results.Add(new AuthenticationMethodResult("spf", "pass") { Properties = { new AuthenticationMethodProperty("smtp", "mailfrom", "alice@author.example") } });
            results.Results.Add(new AuthenticationMethodResult("dmarc", "pass") { Properties = { new AuthenticationMethodProperty("header", "from", "author.example") } });
            return results;
        }

        protected override Task<AuthenticationResults> GenerateArcAuthenticationResultsAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
            Task.FromResult(GenerateArcAuthenticationResults(options, message, cancellationToken));
    }
}
