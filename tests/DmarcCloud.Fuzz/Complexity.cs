using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Fuzz;

/// <summary>
/// Complexity checks (issue 14): for each parser, the time at n and 2n of a hostile dimension; linear code costs
/// about 2x, quadratic 4x. Each time is the best of several runs (the machine is shared), and n is chosen so that
/// one run takes tens of milliseconds. Not a unit test: it prints a table (scripts/fuzz.sh, docs/fuzzing.md).
/// </summary>
internal static class Complexity
{
    private const double Allowed = 2.2;

    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly string LongHelo = string.Join('.', Enumerable.Repeat(new string('h', 61), 4)) + ".com";

    private sealed record Case(string Parser, string Dimension, int N, Func<int, Action> Prepare);

    private static string Repeat(string unit, int times) => new StringBuilder(unit.Length * times).Insert(0, unit, times).ToString();

    private static readonly Lazy<AggregateReportSchemaValidator> Validator = new(AggregateReportSchemaValidator.CreateDefault);

    private static Case[] Cases =>
    [
        new("spf (check_host)", "%{h} macros in one term", 4_000, n =>
        {
            var record = "v=spf1 exists:" + Repeat("%{h}", n) + " -all";
            var zone = new DnsZone().AddTxt("fuzz.example", new TxtRecord([.. record.Chunk(255).Select(c => new string(c))]));
            var limits = new SpfOptions { MaxMacroExpansionLength = int.MaxValue, ParsedRecordCacheSize = 0 };
            return () => new SpfEvaluator(zone, limits).CheckHostAsync(Client, "fuzz.example", "u@fuzz.example", LongHelo, SpfIdentity.MailFrom).GetAwaiter().GetResult();
        }),
        new("spf (record)", "mechanisms (record under 64 KiB)", 2_500, n => () => SpfRecord.Parse("v=spf1" + Repeat(" a:x.example", n) + " -all")),
        new("dmarc record", "rua URIs (record under 64 KiB)", 1_400, n => () => DmarcRecord.Parse("v=DMARC1; p=none; rua=" + Repeat("mailto:a@example.com,", n) + "mailto:z@example.com")),
        new("dkim signature", "b= length (limit lifted: tag-list)", 200_000, n => () => DkimSignature.Parse("v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; h=from; b=" + Repeat("QUFB ", n))),
        new("dkim key record", "p= length", 200_000, n => () => DkimKeyRecord.Parse("v=DKIM1; k=rsa; p=" + Repeat("QUFB", n))),
        new("auth-results", "resinfo count (under 64 KiB)", 800, n => () => AuthenticationResultsParser.Parse("mx.example" + Repeat("; dkim=pass header.d=example.com (c)", n))),
        new("zone file", "records", 20_000, n => () => ZoneFileParser.Parse("$ORIGIN example.\n" + Repeat("x A 192.0.2.1\n", n))),
        new("zone file", "bad lines ('q A 1', under 1 MiB)", 80_000, n => () => ZoneFileParser.Parse(Repeat("q A 1\n", n), "example.")),
        new("zone file", "'(' nesting", 200_000, n => () => ZoneFileParser.Parse("x TXT " + Repeat("(", n) + "\"a\"")),
        new("from field", "'<' count", 200_000, n => () => AuthorDomain.Parse(Repeat("<", n) + "a@example.com>")),
        new("from field", "'(' nesting", 200_000, n => () => AuthorDomain.Parse(Repeat("(", n) + "a@example.com")),
        new("from field", "addresses", 20_000, n => () => AuthorDomain.Parse(Repeat("a@b.example, ", n) + "c@d.example")),
        new("report xml (valid)", "records", 4_000, n => () => Validator.Value.Validate(ReportWithRecords(n))),
        new("report xml (invalid)", "unexpected elements", 4_000, n => () => Validator.Value.Validate(Encoding.ASCII.GetBytes("<feedback>" + Repeat("<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>", n) + "</feedback>"))),
        new("report xml", "nesting depth (to the limit)", 100_000, n => () => Validator.Value.Validate(Encoding.ASCII.GetBytes("<feedback>" + Repeat("<a>", n) + Repeat("</a>", n) + "</feedback>"))),
        new("mime limits check", "header length", 4_000_000, n => () => MessageLimitsCheck.Check(Encoding.ASCII.GetBytes("Subject: " + new string('x', n) + "\r\n\r\nb"), MessageLimits.Default)),
        new("RawMessage (evaluation)", "Subject length", 4_000_000, n => { var raw = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: " + new string('x', n) + "\r\n\r\nbody\r\n"); return () => RawMessage.Parse(raw); }),
        new("RawMessage (evaluation)", "folded lines in one field", 200_000, n => { var raw = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: x" + Repeat("\r\n folded", n) + "\r\n\r\nbody\r\n"); return () => RawMessage.Parse(raw); }),
        new("MessageReader (MimeKit)", "folded lines, attached message", 200_000, n => { var raw = Encoding.ASCII.GetBytes("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nX-F: x" + Repeat("\r\n y", n) + "\r\nFrom: c@example.org\r\n\r\nbody\r\n--b--\r\n"); return () => MessageReader.Parse(raw); }),
        new("report ingest", "mails in an mbox", 2_000, n => { var raw = Encoding.ASCII.GetBytes(Repeat("From a@b Mon Jan  1 00:00:00 2026\nFrom: a@b\n\nx\n", n)); return () => DmarcCloud.Core.ReportIngest.ReceivedReportReader.Read(raw); }),
        new("report ingest", "mails the screen lets through", 2_000, n => { var raw = Encoding.ASCII.GetBytes(Repeat("From a@b Mon Jan  1 00:00:00 2026\nFrom: a@b\nSubject: report\n\nx\n", n)); return () => DmarcCloud.Core.ReportIngest.ReceivedReportReader.Read(raw); }),
        new("MessageReader (MimeKit)", "Subject length", 1_000_000, n => { var raw = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: " + new string('x', n) + "\r\n\r\nbody\r\n"); return () => MessageReader.Parse(raw); }),
        new("MessageReader (MimeKit)", "folded lines in one field", 20_000, n => { var raw = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: x" + Repeat("\r\n folded", n) + "\r\n\r\nbody\r\n"); return () => MessageReader.Parse(raw); }),
        new("message (limits lifted)", "Subject length", 1_000_000, MessageWith(n => "Subject: " + new string('x', n) + "\r\n")),
        new("message (limits lifted)", "folded lines in one field", 20_000, MessageWith(n => "Subject: x" + Repeat("\r\n folded", n) + "\r\n")),
        new("message (limits lifted)", "header fields", 20_000, MessageWith(n => Repeat("X-F: v\r\n", n))),
        new("message (default limits)", "folded lines in one field", 1_500, MessageWith(n => "Subject: x" + Repeat("\r\n folded", n) + "\r\n", lifted: false)),
        new("message (limits lifted)", "DKIM h= entries", 200, MessageWith(n => "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from" + Repeat(":x-f", n) + "\r\n" + Repeat("X-F: v\r\n", 50))),
        new("message (limits lifted)", "MIME nesting depth", 400, n => MessageWith(_ => DeepMimeHeaders(n))(n)),
    ];

    private static Func<int, Action> MessageWith(Func<int, string> headers, bool lifted = true) => n =>
    {
        var raw = Encoding.ASCII.GetBytes("From: a@example.com\r\n" + headers(n) + "\r\nbody\r\n");
        var limits = lifted
            ? new MessageLimits { MaxHeaderBlockBytes = int.MaxValue, MaxHeaderFieldBytes = int.MaxValue, MaxHeaderFields = int.MaxValue, MaxFromFieldBytes = int.MaxValue, MaxMimeDepth = 100_000 }
            : MessageLimits.Default;
        var evaluator = new MessageEvaluator(new DnsZone(), new MessageEvaluatorOptions { Limits = limits });
        var envelope = new SmtpEnvelope(Client, "mx.example", "a@example.com", [], DateTimeOffset.UnixEpoch);
        return () => evaluator.EvaluateAsync(envelope, raw).GetAwaiter().GetResult();
    };

    /// <summary>The RFC 9990 example report (from the seeds) with its record repeated <paramref name="n"/> times.</summary>
    private static byte[] ReportWithRecords(int n)
    {
        var example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", "core", "schema", "rfc9990_dmarc-xml-0.2_draft-32_example.xml"));
        var start = example.IndexOf("<record>", StringComparison.Ordinal);
        var end = example.IndexOf("</record>", StringComparison.Ordinal) + "</record>".Length;
        return Encoding.UTF8.GetBytes(string.Concat(example.AsSpan(0, start), Repeat(example[start..end], n), example.AsSpan(end)));
    }

    private static string DeepMimeHeaders(int depth)
    {
        var sb = new StringBuilder("MIME-Version: 1.0\r\n");
        for (var i = 0; i < depth; i++)
        {
            sb.Append("Content-Type: multipart/mixed; boundary=\"b").Append(i).Append("\"\r\n\r\n--b").Append(i).Append("\r\n");
        }

        return sb.Append("Content-Type: text/plain\r\n").ToString();
    }

    public static int Run(TextWriter output)
    {
        output.WriteLine($"{"parser",-26} {"hostile dimension",-36} {"n",10} {"t(n) ms",9} {"t(2n) ms",9} {"ratio",6} {"alloc ratio",11}  ok (time <= {Allowed})");
        var failures = 0;
        var only = Environment.GetEnvironmentVariable("COMPLEXITY_ONLY");
        // COMPLEXITY_SCALE=k runs every case at k·n and 2k·n: a ratio that falls back to 2 at larger n was a cache or GC
        // threshold, one that stays above is superlinear work.
        var scale = int.TryParse(Environment.GetEnvironmentVariable("COMPLEXITY_SCALE"), CultureInfo.InvariantCulture, out var k) && k > 0 ? k : 1;
        foreach (var c in Cases.Where(c => only is null || $"{c.Parser} {c.Dimension}".Contains(only, StringComparison.Ordinal)))
        {
            var n = c.N * scale;
            var (small, smallBytes) = Time(c.Prepare(n));
            var (large, largeBytes) = Time(c.Prepare(2 * n));
            var ratio = large / double.Max(small, 0.001);
            var allocRatio = largeBytes / (double)long.Max(smallBytes, 1);
            var ok = ratio <= Allowed;
            failures += ok ? 0 : 1;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Parser,-26} {c.Dimension,-36} {n,10:N0} {small,9:N1} {large,9:N1} {ratio,6:N2} {allocRatio,11:N2}  {(ok ? "yes" : "NO")}"));
        }

        output.WriteLine($"{failures} over {Allowed}x");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Best of seven runs after a warm-up, in milliseconds (the best run is the least disturbed by other load), and
    /// the bytes one run allocates (exact whatever the load: the noise-free sign of linear or quadratic work).
    /// </summary>
    private static (double Milliseconds, long Bytes) Time(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        var best = double.MaxValue;
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = double.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        return (best, bytes);
    }
}
