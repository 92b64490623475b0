using System.IO.Compression;
using System.Net;
using System.Text;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;
using DmarcCloud.Fuzz.Engine;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Fuzz.Targets;

/// <summary>Every parser and the whole <see cref="MessageEvaluator"/>, as fuzz targets (docs/fuzzing.md).</summary>
internal static class FuzzTargets
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly string LongHelo = string.Join('.', Enumerable.Repeat(new string('h', 61), 4)) + ".com";
    private static readonly Lazy<AggregateReportSchemaValidator> Validator = new(AggregateReportSchemaValidator.CreateDefault);
    private static readonly Lazy<DnsZone> DemoZone = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Seeds", "samples", "demo.zone");
        var zone = File.Exists(path) ? ZoneFileParser.Parse(File.ReadAllText(path)).Zone : new DnsZone();
        return zone
            .AddTxt("macro.example", "v=spf1 exists:" + string.Concat(Enumerable.Repeat("%{h}.%{l}", 40)) + " include:%{d2}.%{o} -all")
            .AddTxt("_dmarc.macro.example", "v=DMARC1; p=reject");
    });

    private static readonly Lazy<IReadOnlyList<FuzzTarget>> Targets = new(() =>
    [
        Spf(), Dmarc(), DkimSignatureTarget(), DkimKey(), AuthResults(), Zone(), Report(), Ingest(), Mime(), From(), Message(),
    ]);

    public static IReadOnlyList<FuzzTarget> All => Targets.Value;

    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"unknown target '{name}': {string.Join(", ", All.Select(t => t.Name))}");

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    private static byte[] Repeat(string head, string unit, int times, string tail)
    {
        var sb = new StringBuilder(head.Length + (unit.Length * times) + tail.Length);
        sb.Append(head);
        for (var i = 0; i < times; i++)
        {
            sb.Append(unit);
        }

        return B(sb.Append(tail).ToString());
    }

    private static int Count(Random r) => r.Next(4) switch { 0 => r.Next(100), 1 => r.Next(2_000), 2 => r.Next(20_000), _ => r.Next(200_000) };

    private static List<byte[]> Seeds(IEnumerable<byte[]> found, params string[] builtIn) => [.. found, .. builtIn.Select(B)];

    private static FuzzTarget Spf()
    {
        var resolver = new DnsZone();
        var evaluator = new SpfEvaluator(resolver, new SpfOptions { ParsedRecordCacheSize = 0 });
        return new FuzzTarget
        {
            Name = "spf",
            Seeds = Seeds(Corpus.Matches(Corpus.SpfRecord()), "v=spf1 a mx ip4:192.0.2.0/24 include:_spf.example.com ~all", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all", "v=spf1 redirect=%{d}"),
            Dictionary = ["%{h}", "%{l}", "%{s}", "%{o}", "%{d}", "%{i}", "%{p}", "%{v}", "%{ir}", "%{d2r}", "%{L1r+-}", "%%", "%_", "%-", " include:", " exists:", " a:", " mx:", " ptr:", " ip4:", " ip6:", " redirect=", " exp=", " -all", "/24", "//64", "."],
            BlowUps =
            [
                (r, _) => Repeat("v=spf1 exists:", "%{h}", Count(r), " -all"),
                (r, _) => Repeat("v=spf1 exists:", "%{l}.%{ir}.", Count(r), "x -all"),
                (r, _) => Repeat("v=spf1", " a:%{d}", Count(r), " -all"),
                (r, _) => Repeat("v=spf1 exists:%{h", "9", Count(r), "}"),
                (r, _) => Repeat("v=spf1 exp=", "%{h}", Count(r), " -all"),
            ],
            Run = input =>
            {
                // The record as published for fuzz.example, checked with a long HELO and local-part so macros grow.
                var text = S(input);
                SpfRecord.Parse(text);
                var zone = new DnsZone().AddTxt("fuzz.example", new TxtRecord([.. text.Chunk(255).Select(c => new string(c))]));
                _ = new SpfEvaluator(zone).CheckHostAsync(Client, "fuzz.example", new string('l', 64) + "@fuzz.example", LongHelo, SpfIdentity.MailFrom).GetAwaiter().GetResult();
            },
        };
    }

    private static FuzzTarget Dmarc() => new()
    {
        Name = "dmarc",
        Seeds = Seeds(Corpus.Matches(Corpus.DmarcRecord()), "v=DMARC1; p=reject; sp=none; np=quarantine; adkim=s; aspf=r; pct=50; rua=mailto:a@example.com,mailto:b@example.net!10m; ruf=mailto:f@example.com; fo=1:d:s; t=y; psd=n"),
        Dictionary = ["; p=", "; sp=", "; np=", "; rua=", "; ruf=", "mailto:", "!10m", ",", "; pct=", "; fo=", "; t=", "; psd=", "reject", "none", "quarantine", "="],
        BlowUps =
        [
            (r, _) => Repeat("v=DMARC1; p=none", "; x=y", Count(r), ""),
            (r, _) => Repeat("v=DMARC1; p=none; rua=", "mailto:a@example.com,", Count(r), "mailto:z@example.com"),
        ],
        Run = input => DmarcRecord.Parse(S(input)),
    };

    private static FuzzTarget DkimSignatureTarget() => new()
    {
        Name = "dkim-signature",
        Seeds = Seeds(Corpus.HeaderValues("DKIM-Signature").Concat(Corpus.HeaderValues("ARC-Message-Signature")), "v=1; a=rsa-sha256; c=relaxed/simple; d=example.com; s=s1; t=1; x=2; h=from:to:subject; bh=AAAA; b=AAAA"),
        Dictionary = ["; b=", "; bh=", "; h=", "from:", "; d=", "; s=", "; i=", "; l=", "; z=", "; c=", "relaxed/relaxed", "; a=", "ed25519-sha256", " \r\n\t", ";"],
        BlowUps =
        [
            (r, _) => Repeat("v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from", ":from", Count(r), ""),
            (r, _) => Repeat("v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; h=from; b=", "QUFB\r\n\t", Count(r), ""),
            (r, _) => Repeat("v=1", "; x=1", Count(r), ""),
        ],
        Run = input => DkimSignature.Parse(S(input)),
    };

    private static FuzzTarget DkimKey() => new()
    {
        Name = "dkim-key",
        Seeds = Seeds(Corpus.Matches(Corpus.DkimKey()), "v=DKIM1; k=rsa; h=sha256; s=email; t=y:s; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"),
        Dictionary = ["; p=", "; k=", "ed25519", "rsa", "; h=", "sha256:sha1", "; t=", "y:s", "; s=", "*", "v=DKIM1"],
        BlowUps =
        [
            (r, _) => Repeat("v=DKIM1; k=rsa; p=", "QUFB", Count(r), ""),
            (r, _) => Repeat("v=DKIM1", "; x=1", Count(r), "; p="),
        ],
        Run = input => DkimKeyRecord.Parse(S(input)),
    };

    private static FuzzTarget AuthResults() => new()
    {
        Name = "auth-results",
        Seeds = Seeds(Corpus.HeaderValues("Authentication-Results").Concat(Corpus.HeaderValues("ARC-Authentication-Results")), "mx.example.com; spf=pass smtp.mailfrom=a@example.com; dkim=pass header.d=example.com (comment) header.b=abcd; dmarc=pass header.from=example.com"),
        Dictionary = ["; spf=pass", "; dkim=fail", " header.d=", " smtp.mailfrom=", "(", ")", "\"", "\\", "i=1;", "; arc=none", " reason=\"x\""],
        BlowUps =
        [
            (r, _) => Repeat("mx.example", "; dkim=pass header.d=example.com", Count(r), ""),
            (r, _) => Repeat("mx.example; spf=pass ", "(", Count(r), "x"),
            (r, _) => Repeat("mx.example; spf=pass reason=", "\"a\\\"", Count(r), ""),
        ],
        Run = input => AuthenticationResultsParser.Parse(S(input)),
    };

    private static FuzzTarget Zone() => new()
    {
        Name = "zone",
        Seeds = Seeds(Corpus.FilesEndingWith(".zone"), "$ORIGIN example.com.\n$TTL 300\n@ IN TXT \"v=spf1 -all\"\nmail 60 IN A 192.0.2.1\n@ MX 10 mail\nx TXT ( \"a\\\"b\" \"\\065\" )\n"),
        Dictionary = ["\\999", "\\", "\"", "(", ")", ";", "\n", "$ORIGIN ", "$TTL ", "@", " IN ", " TXT ", " A ", " AAAA ", " MX ", " SOA ", " CNAME ", " PTR ", " 1h30m ", "."],
        BlowUps =
        [
            (r, _) => Repeat("$ORIGIN example.\n", "x A 192.0.2.1\n", Count(r), ""),
            (r, _) => Repeat("x TXT ", "(", Count(r), "\"a\""),
            (r, _) => Repeat("x TXT \"", "\\999", Count(r), "\""),
            (r, _) => Repeat("", "\\999 ", Count(r), "A 192.0.2.1"),
        ],
        Run = input => ZoneFileParser.Parse(S(input), "example."),
    };

    private static FuzzTarget Report() => new()
    {
        Name = "report",
        Seeds = Seeds(Corpus.FilesEndingWith(".xml").Concat(Corpus.FilesEndingWith(".xml").Select(Gzip))),
        Dictionary = ["<record>", "</record>", "<row>", "<source_ip>192.0.2.1</source_ip>", "<count>1</count>", "<!DOCTYPE a [<!ENTITY e \"x\">]>", "&e;", "<![CDATA[", "]]>", "<?xml version=\"1.0\"?>", "xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\""],
        BlowUps =
        [
            (r, _) => Repeat("<feedback>", "<a>", Count(r), "x"),
            (r, s) => Repeat("<feedback>", "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>", Count(r), "</feedback>"),
            (r, _) => Gzip(new byte[1 + Count(r) * 100]),
            (r, _) => ZipOf(1 + r.Next(2_000)),
            (r, _) => B("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><feedback>&lol2;</feedback>"),
        ],
        Run = input => Validator.Value.Validate(input),
    };

    /// <summary>The report-ingest reader: aggregate XML, gzip, zip, report mails, failure reports (ARF), mboxes.</summary>
    private static FuzzTarget Ingest() => new()
    {
        Name = "ingest",
        Seeds = Seeds(
            Corpus.FilesEndingWith(".xml", ".xml.gz", ".gz", ".zip", ".eml", ".mbox").Where(f => f.Length < 1024 * 1024),
            "<feedback><report_metadata><org_name>x</org_name></report_metadata></feedback>"),
        Dictionary = [.. MessageDictionary, "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\r\n", "Content-Type: message/feedback-report\r\n", "Feedback-Type: auth-failure\r\n", "Content-Type: message/rfc822\r\n", "Content-Type: application/gzip\r\n", "From MAILER-DAEMON Mon Jan  1 00:00:00 2026\n", "<record>", "</record>"],
        // Sized just over the limits ReceivedReportReader checks first (docs/fuzzing.md, "Blow-ups sized to the limits"):
        // gzip bombs up to 5 MiB of zeros (the ratio is checked once 4 MiB are inflated, CompressionRatioFloorBytes),
        // zips of up to 129 entries (MaxArchiveEntries and MaxReportsPerContainer are 64, read from the end record
        // first). Both are cached by size: making them was most of this target's time.
        BlowUps =
        [
            .. MessageBlowUps,
            (r, _) => CachedZeroGzip(int.Min(1 + (Count(r) * 100), 5 * 1024 * 1024)),
            (r, _) => CachedZip(1 + r.Next(129)),
            (r, s) => [.. Repeat("", "From a@b Mon Jan  1 00:00:00 2026\nFrom: a@b\n\nx\n", Count(r) % 20_000, ""), .. s],
        ],
        MaxBlowUpBytes = 4 * 1024 * 1024,
        Run = input => ReceivedReportReader.Read(input),
    };

    private static FuzzTarget Mime()
    {
        var limits = MessageLimits.Default;
        return new FuzzTarget
        {
            Name = "mime",
            Seeds = Seeds(Corpus.Messages, "From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"),
            Dictionary = MessageDictionary,
            BlowUps = MessageBlowUps,
            MaxBlowUpBytes = 4 * 1024 * 1024,
            Run = input =>
            {
                // What MessageEvaluator does at its entry: the limits, then MimeKit only for a message within them.
                if (MessageLimitsCheck.Check(input, limits) is null)
                {
                    var message = MessageReader.Parse(input, limits);
                    _ = message.Headers.Count + message.From.Count;
                }
            },
        };
    }

    private static FuzzTarget From() => new()
    {
        Name = "from",
        Seeds = Seeds(Corpus.HeaderValues("From"), "\"Doe, John\" <john@example.com>, (comment) jane@example.org", "group: a@b.example, c@d.example;", "=?utf-8?q?x?= <@route.example:user@example.com>"),
        Dictionary = ["<", ">", "@", "\"", "\\", "(", ")", ",", ":", ";", "=?utf-8?b?", "?=", "\r\n ", "xn--", "ü"],
        BlowUps =
        [
            (r, _) => Repeat("", "<", Count(r), "a@example.com>"),
            (r, _) => Repeat("", "(", Count(r), "a@example.com"),
            (r, _) => Repeat("", "\"", Count(r), "a@example.com"),
            (r, _) => Repeat("", "a@b.example, ", Count(r), "c@d.example"),
            (r, _) => Repeat("", "<a@b", Count(r), ">"),
        ],
        Run = input => AuthorDomain.Parse(S(input)),
    };

    private static FuzzTarget Message()
    {
        var evaluator = new MessageEvaluator(DemoZone.Value, new MessageEvaluatorOptions { Spf = new SpfOptions { ParsedRecordCacheSize = 0 } });
        var envelopes = new[]
        {
            new SmtpEnvelope(Client, "mx.sender.example", "bounce@sender.example", ["r@receiver.example"], DateTimeOffset.UnixEpoch),
            new SmtpEnvelope(IPAddress.Parse("2001:db8::25"), LongHelo, new string('l', 64) + "@macro.example", ["r@receiver.example"], DateTimeOffset.UnixEpoch),
            new SmtpEnvelope(Client, LongHelo, string.Empty, [], DateTimeOffset.UnixEpoch),
        };
        var next = 0;
        return new FuzzTarget
        {
            Name = "message",
            Seeds = Seeds(Corpus.Messages, "From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"),
            Dictionary = MessageDictionary,
            BlowUps = MessageBlowUps,
            MaxBlowUpBytes = 4 * 1024 * 1024,
            Run = input => evaluator.EvaluateAsync(envelopes[next++ % envelopes.Length], input).GetAwaiter().GetResult(),
        };
    }

    private static readonly string[] MessageDictionary =
    [
        "\r\n", "\n", "\r\n ", "\r\n\t", "\r\n\r\n", "From: ", "To: ", "Subject: ", "DKIM-Signature: ", "ARC-Seal: ", "ARC-Message-Signature: ",
        "ARC-Authentication-Results: ", "Authentication-Results: ", "Content-Type: multipart/mixed; boundary=\"b\"\r\n", "--b\r\n", "--b--\r\n",
        "Content-Transfer-Encoding: base64\r\n", "=?utf-8?q?", "?=", "<", ">", "@", "; h=", "; b=", "; bh=", ":", "\0",
    ];

    private static readonly IReadOnlyList<Func<Random, byte[], byte[]>> MessageBlowUps =
    [
        (r, s) => [.. Repeat("Subject: ", "x", Count(r) * 20, "\r\n"), .. s],
        (r, s) => [.. Repeat("Subject: x", "\r\n folded", Count(r), "\r\n"), .. s],
        (r, s) => [.. Repeat("", "X-Field: v\r\n", Count(r), ""), .. s],
        (r, s) => [.. Repeat("From: ", "<", Count(r), "a@example.com>\r\n"), .. s],
        (r, s) => [.. Repeat("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from", ":from", Count(r) % 20_000, "\r\n"), .. s],
        (r, s) => [.. Repeat("", "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from\r\n", Count(r) % 2_000, ""), .. s],
        (r, _) => DeepMime(1 + r.Next(2_000)),
        (r, s) => [.. s, .. Repeat("\r\n", "body line\r\n", Count(r) * 5, "")],
        (r, s) => [.. Repeat("", "\n", Count(r), ""), .. s],
    ];

    private static byte[] DeepMime(int depth)
    {
        var sb = new StringBuilder("From: a@example.com\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < depth; i++)
        {
            sb.Append("Content-Type: multipart/mixed; boundary=\"b").Append(i).Append("\"\r\n\r\n--b").Append(i).Append("\r\n");
        }

        sb.Append("Content-Type: text/plain\r\n\r\nx\r\n");
        for (var i = depth - 1; i >= 0; i--)
        {
            sb.Append("--b").Append(i).Append("--\r\n");
        }

        return B(sb.ToString());
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> ZeroGzips = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> Zips = new();

    /// <summary>A gzip of about <paramref name="size"/> zero bytes, rounded up to 64 KiB above 64 KiB (cached).</summary>
    private static byte[] CachedZeroGzip(int size)
    {
        var rounded = size <= 64 * 1024 ? size : (size + 0xFFFF) & ~0xFFFF;
        return ZeroGzips.GetOrAdd(rounded, n => Gzip(new byte[n]));
    }

    private static byte[] CachedZip(int entries) => Zips.GetOrAdd(entries, ZipOf);

    private static byte[] ZipOf(int entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < entries; i++)
            {
                using var entry = zip.CreateEntry($"r{i}.xml").Open();
                entry.Write("<feedback/>"u8);
            }
        }

        return output.ToArray();
    }
}
