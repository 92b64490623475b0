using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DmarcCloud.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace DmarcCloud.Functions.Tests.Samples;

/// <summary>
/// Writes samples/mail (messages + manifest.json) and samples/dns/demo.zone from the sample keys in samples/keys,
/// reproducibly: fixed dates, ids and signature timestamps; RSA PKCS#1 v1.5 signatures are deterministic.
/// Run by scripts/make-samples.sh (DMARCCLOUD_WRITE_SAMPLES=1); otherwise the test regenerates into memory
/// and checks that the committed files are exactly what the generator makes.
/// </summary>
public class SampleMailGenerator
{
    internal static readonly DateTimeOffset Day = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly long SignedAt = Day.AddHours(8).ToUnixTimeSeconds();

    [Fact]
    public void Committed_samples_are_exactly_what_the_generator_makes()
    {
        var files = Generate();
        if (Environment.GetEnvironmentVariable("DMARCCLOUD_WRITE_SAMPLES") == "1")
        {
            foreach (var old in Directory.GetFiles(RepositoryPaths.Combine("samples", "mail")))
            {
                File.Delete(old);
            }

            foreach (var (path, content) in files)
            {
                File.WriteAllBytes(RepositoryPaths.Combine(path.Split('/')), content);
            }
        }

        foreach (var (path, content) in files)
        {
            var committed = RepositoryPaths.Combine(path.Split('/'));
            Assert.True(File.Exists(committed), $"{path} is missing: run scripts/make-samples.sh");
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(committed)), $"{path} differs from the generator's output: run scripts/make-samples.sh");
        }
    }

    internal static SortedDictionary<string, byte[]> Generate()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var manifest = new List<SampleMail>();
        void Add(SampleMail sample, byte[] content)
        {
            manifest.Add(sample);
            files["samples/mail/" + sample.File] = content;
        }

        var t = 0;
        SampleMail Entry(string file, string scenario, string ip, string helo, string? mailFrom, string expectDkim, string expectDmarc) =>
            new(file, scenario, ip, helo, mailFrom, ["postmaster@receiver.example"], Day.AddHours(9).AddMinutes(5 * t++), expectDkim, expectDmarc);

        // 1. Aligned SPF and DKIM pass.
        var m = NewMessage("Alice <alice@sender.example>", "Quarterly numbers", "The numbers are attached in spirit.", 1);
        Sign(m, "sender.example", "s2026");
        Add(Entry("01-pass-aligned.eml", "sender.example direct: aligned SPF and DKIM pass", "192.0.2.25", "mail.sender.example", "bounce@sender.example", "pass", "pass"), Bytes(m));

        // 2. Sent through an ESP: SPF passes for the ESP's domain (not aligned), DKIM aligned.
        m = NewMessage("News <news@news.example>", "This week at news.example", "Read all about it.", 2);
        Sign(m, "news.example", "news1");
        Add(Entry("02-pass-dkim-via-esp.eml", "news.example via an ESP: SPF passes for esp.example (not aligned), aligned DKIM pass", "203.0.113.50", "out.esp.example", "bounces+news@esp.example", "pass", "pass"), Bytes(m));

        // 3. Spoofed, unsigned, unauthorised IP.
        m = NewMessage("CEO <ceo@sender.example>", "Urgent wire transfer", "Please pay the attached invoice today.", 3);
        Add(Entry("03-fail-spoofed.eml", "spoof of sender.example (p=reject, fo=1, ruf): no signature, SPF passes only for bad.example", "198.51.100.66", "mail.bad.example", "attacker@bad.example", "none", "fail"), Bytes(m));

        // 4. Signed, then the body was altered in transit; sent from an unauthorised IP.
        m = NewMessage("Alice <alice@sender.example>", "Invoice 4711", "Please pay 100 EUR to the usual account.", 4);
        Sign(m, "sender.example", "s2026");
        var tampered = Encoding.ASCII.GetString(Bytes(m)).Replace("100 EUR to the usual account", "9,900 EUR to account 12345678", StringComparison.Ordinal);
        Add(Entry("04-fail-tampered.eml", "sender.example message altered after signing (DKIM body hash fails), unauthorised IP", "198.51.100.67", "relay.bad.example", "alice@sender.example", "fail", "fail"), Encoding.ASCII.GetBytes(tampered));

        // 5. Mailing list: subject tag and footer break the author's DKIM; the list adds its own DKIM and an ARC set.
        m = NewMessage("Alice <alice@sender.example>", "Meeting notes", "Notes from today's meeting.", 5);
        m.To.Clear();
        m.To.Add(MailboxAddress.Parse("discuss@list.example"));
        Sign(m, "sender.example", "s2026");
        m.Subject = "[discuss] Meeting notes";
        ((TextPart)m.Body!).Text += "\r\n-- \r\ndiscuss mailing list\r\nhttps://list.example/discuss\r\n";
        m.Headers.Add("List-Id", "<discuss.list.example>");
        var arc = new SampleArcSigner(KeyPath("list.example.arc2026"), "list.example", "arc2026", SignedAt)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        arc.Sign(FormatOptions.Default, m, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ListId]);
        Sign(m, "list.example", "arc2026");
        Add(Entry("05-forwarded-list-arc.eml", "sender.example via list.example: author DKIM broken by the list, list DKIM and ARC (cv=none) pass", "203.0.113.10", "mail.list.example", "discuss-bounces@list.example", "fail", "fail"), Bytes(m));

        // 6. Plain forwarding (.forward): unchanged message, DKIM survives, SPF does not.
        m = NewMessage("Alice <alice@sender.example>", "Lunch?", "Are you free for lunch tomorrow?", 6);
        Sign(m, "sender.example", "s2026");
        Add(Entry("06-forwarded-plain.eml", "sender.example forwarded unchanged by forwarder.example: DKIM still passes, SPF fails", "203.0.113.20", "mx.forwarder.example", "alice@sender.example", "pass", "pass"), Bytes(m));

        // 7. A domain without a DMARC record.
        m = NewMessage("Bob <bob@nopolicy.example>", "Hello", "No DMARC here.", 7);
        Sign(m, "nopolicy.example", "np1");
        Add(Entry("07-no-policy.eml", "nopolicy.example publishes SPF and DKIM but no DMARC record", "192.0.2.200", "mail.nopolicy.example", "bob@nopolicy.example", "pass", "none"), Bytes(m));

        // 8-10. Malformed input.
        var noFrom = "To: postmaster@receiver.example\r\nSubject: no author\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\nMessage-ID: <sample-8@samples.dmarccloud.example>\r\n\r\nThis message has no From field.\r\n";
        Add(Entry("08-malformed-no-from.eml", "no From header field (RFC 5322 requires one)", "192.0.2.30", "mail.sender.example", "bounce@sender.example", "none", "permerror"), Encoding.ASCII.GetBytes(noFrom));
        var twoFrom = "From: alice@sender.example\r\nFrom: mallory@bad.example\r\nTo: postmaster@receiver.example\r\nSubject: two authors\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\nMessage-ID: <sample-9@samples.dmarccloud.example>\r\n\r\nTwo From fields: no single author domain.\r\n";
        Add(Entry("09-malformed-two-from.eml", "two From header fields: no single author domain", "198.51.100.68", "mail.bad.example", "mallory@bad.example", "none", "permerror"), Encoding.ASCII.GetBytes(twoFrom));
        var garbage = new byte[4096];
        new Random(20261122).NextBytes(garbage);
        Add(Entry("10-malformed-garbage.eml", "4 KiB of random bytes (seeded), not a message", "198.51.100.69", "garbage.bad.example", "x@bad.example", "none", "permerror"), garbage);

        files["samples/mail/manifest.json"] = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, SampleJson.Options) + "\n");
        files["samples/dns/demo.zone"] = Encoding.ASCII.GetBytes(Zone());
        return files;
    }

    internal static string KeyPath(string name) => RepositoryPaths.Combine("samples", "keys", name + ".key");

    private static MimeMessage NewMessage(string from, string subject, string text, int n)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("postmaster@receiver.example"));
        message.Subject = subject;
        message.Date = Day.AddHours(8).AddMinutes(n);
        message.MessageId = $"sample-{n}@samples.dmarccloud.example";
        message.Body = new TextPart("plain") { Text = text + "\r\n", ContentTransferEncoding = ContentEncoding.SevenBit };
        message.MimeVersion = new Version(1, 0);
        return message;
    }

    private static void Sign(MimeMessage message, string domain, string selector)
    {
        var signer = new SampleDkimSigner(KeyPath($"{domain}.{selector}"), domain, selector, SignedAt)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(FormatOptions.Default, message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
    }

    private static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    private static string Zone()
    {
        var zone = new StringBuilder();
        zone.Append("""
            ; DmarcCloud demo zone (generated by scripts/make-samples.sh; do not edit by hand).
            ; Offline DNS for samples/mail: run the handler with Dns__ZoneFile=samples/dns/demo.zone.
            ; Only reserved .example names and documentation addresses (RFC 2606, RFC 5737).
            $TTL 300
            $ORIGIN example.

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        zone.Append("""
            ; sender.example: its own mail server, strict policy with failure reports.
            sender.example.                 IN TXT "v=spf1 ip4:192.0.2.0/25 -all"
            mail.sender.example.            IN A   192.0.2.25
            _dmarc.sender.example.          IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc-rua@sender.example; ruf=mailto:dmarc-ruf@sender.example; fo=1"

            ; news.example: sends through esp.example, signs itself.
            news.example.                   IN TXT "v=spf1 -all"
            _dmarc.news.example.            IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@news.example"
            esp.example.                    IN TXT "v=spf1 ip4:203.0.113.48/28 -all"

            ; list.example: a mailing list that ARC-seals what it relays.
            list.example.                   IN TXT "v=spf1 ip4:203.0.113.10 -all"
            _dmarc.list.example.            IN TXT "v=DMARC1; p=none"

            ; forwarder.example: plain forwarding.
            forwarder.example.              IN TXT "v=spf1 ip4:203.0.113.20 -all"

            ; nopolicy.example: SPF and DKIM, no DMARC record.
            nopolicy.example.               IN TXT "v=spf1 ip4:192.0.2.200 -all"

            ; bad.example: the attacker's own domain (its SPF passes, but it is not the author domain).
            bad.example.                    IN TXT "v=spf1 ip4:198.51.100.64/28 -all"

            ; DKIM keys (public halves of samples/keys/*.key).

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        foreach (var (domain, selector) in new[] { ("sender.example", "s2026"), ("news.example", "news1"), ("list.example", "arc2026"), ("nopolicy.example", "np1") })
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(KeyPath($"{domain}.{selector}")));
            var record = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
            var chunks = Enumerable.Range(0, (record.Length + 199) / 200).Select(i => "\"" + record.Substring(i * 200, Math.Min(200, record.Length - (i * 200))) + "\"");
            zone.Append(CultureInfo.InvariantCulture, $"{selector}._domainkey.{domain}. IN TXT ( {string.Join("\n    ", chunks)} )\n");
        }

        return zone.ToString();
    }

    /// <summary>A DKIM signer with a fixed <c>t=</c>, so the samples are reproducible.</summary>
    private sealed class SampleDkimSigner(string key, string domain, string selector, long timestamp)
        : DkimSigner(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        protected override long GetTimestamp() => timestamp;
    }

    /// <summary>The list's ARC signer: what list.example saw on arrival, with a fixed timestamp.</summary>
    private sealed class SampleArcSigner(string key, string domain, string selector, long timestamp)
        : ArcSigner(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        protected override long GetTimestamp() => timestamp;

        protected override AuthenticationResults GenerateArcAuthenticationResults(FormatOptions options, MimeMessage message, CancellationToken cancellationToken)
        {
            var results = new AuthenticationResults("mail.list.example");
            results.Results.Add(new AuthenticationMethodResult("dkim", "pass") { Properties = { new AuthenticationMethodProperty("header", "d", "sender.example") } });
            results.Results.Add(new AuthenticationMethodResult("spf", "pass") { Properties = { new AuthenticationMethodProperty("smtp", "mailfrom", "alice@sender.example") } });
            results.Results.Add(new AuthenticationMethodResult("dmarc", "pass") { Properties = { new AuthenticationMethodProperty("header", "from", "sender.example") } });
            return results;
        }

        protected override Task<AuthenticationResults> GenerateArcAuthenticationResultsAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
            Task.FromResult(GenerateArcAuthenticationResults(options, message, cancellationToken));
    }
}
