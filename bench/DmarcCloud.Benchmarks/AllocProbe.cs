using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Spf;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// Bytes allocated per evaluation stage for one corpus message (after 300 warm-up rounds, current thread only):
/// <c>dotnet DmarcCloud.Benchmarks.dll alloc-probe typical-3sig.eml</c>. Shows where EvaluateBenchmarks' Allocated goes.
/// </summary>
internal static class AllocProbe
{
    public static void Run(string file)
    {
        var entry = EvaluateCorpus.Manifest().Single(e => e.File == file);
        var bytes = File.ReadAllBytes(Path.Combine(EvaluateCorpus.Directory, file));
        var zone = EvaluateCorpus.Zone();
        var env = EvaluateCorpus.Envelope(entry);
        var spf = new SpfEvaluator(zone);
        var keys = new DkimKeyLocator(zone);
        var dkim = new DkimVerifier(keys, null, null);
        var arc = new ArcValidator(keys, null, null);
        var ev = new MessageEvaluator(zone, EvaluateCorpus.Options());
        var dmarcEvaluator = new DmarcCloud.Core.Dmarc.DmarcEvaluator(zone);
        for (var round = 0; round < 300; round++)
        {
            var t = new List<(string, long)>();
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            _ = MessageReader.ToCrLf(bytes);
            long a1 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("ToCrLf", a1 - a0));
            var mime = RawMessage.Parse(bytes);
            long a2 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("header split", a2 - a1));
            var h = new DkimHasher(mime);
            long a3 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("hasher+headers", a3 - a2));
            _ = dkim.VerifyAsync(h, default).GetAwaiter().GetResult();
            long a4 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("dkim", a4 - a3));
            _ = arc.ValidateAsync(h, default).GetAwaiter().GetResult();
            h.Dispose();
            long a5 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("arc", a5 - a4));
            _ = spf.CheckMailFromAsync(env.ClientIp, env.MailFrom, env.Helo).GetAwaiter().GetResult();
            long a6 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("spf mailfrom", a6 - a5));
            _ = spf.CheckHeloAsync(env.ClientIp, env.Helo!).GetAwaiter().GetResult();
            long a7 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("spf helo", a7 - a6));
            _ = ev.EvaluateAsync(env, bytes).GetAwaiter().GetResult();
            long a8 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("whole evaluate", a8 - a7));
            MessageLimitsCheck.Check(bytes, MessageLimits.Default);
            long a9 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("limits", a9 - a8));
            var m2 = MessageReader.Parse(bytes, MessageLimits.Default);
            long a10 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("MimeKit parse (before)", a10 - a9));
            using (var h2 = new DkimHasher(m2)) { dkim.VerifyAsync(h2, default).GetAwaiter().GetResult(); }
            long a11 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("dkim2", a11 - a10));
            var dkimResults = dkim.VerifyAsync(new DkimHasher(RawMessage.Parse(bytes)), default).GetAwaiter().GetResult();
            var spfResult = spf.CheckMailFromAsync(env.ClientIp, env.MailFrom, env.Helo).GetAwaiter().GetResult();
            long b0 = GC.GetAllocatedBytesForCurrentThread();
            var from = RawMessage.Parse(bytes).Headers.Where(x => x.Id == MimeKit.HeaderId.From).Select(x => System.Text.Encoding.UTF8.GetString(x.RawValue)).ToList();
            long b1 = GC.GetAllocatedBytesForCurrentThread();
            var author = DmarcCloud.Core.Dmarc.AuthorDomain.Parse(from);
            long b2 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("author domain", b2 - b1));
            var dmarcResult = dmarcEvaluator.EvaluateAsync(new DmarcCloud.Core.Dmarc.DmarcEvaluationInput(author, spfResult, dkimResults, DmarcCloud.Core.Arc.ArcValidationResult.NoChain, env.ClientIp, env.Authenticated), default).GetAwaiter().GetResult();
            long b3 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("dmarc", b3 - b2));
            var verdict = MessageEvaluator.BuildVerdict(env, DateTimeOffset.UnixEpoch, author, spfResult, null, dkimResults, DmarcCloud.Core.Arc.ArcValidationResult.NoChain, dmarcResult, new DmarcCloud.Core.Dmarc.DmarcEvaluatorOptions());
            long b4 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("verdict", b4 - b3));
            _ = VerdictAuthenticationResults.Render(verdict, "mx.receiver.example");
            long b5 = GC.GetAllocatedBytesForCurrentThread(); t.Add(("auth-results text", b5 - b4));
            if (round == 299) Console.WriteLine(string.Join("\n", t.Select(x => $"{x.Item1,-24} {x.Item2 / 1024.0,8:F1} KB")));
        }
    }
}
