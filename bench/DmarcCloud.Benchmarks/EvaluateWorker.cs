using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// The .NET side of scripts/bench-evaluate.sh: a long-lived process that answers one command per stdin line with one
/// JSON line on stdout, so the driver (scripts/bench-evaluate.mjs) can interleave it with mailauth in one run.
/// <c>check</c> evaluates every corpus message once and prints the results; <c>run FILE SECONDS THREADS</c> evaluates
/// FILE in a loop on THREADS threads for SECONDS and prints the count, wall time and process CPU time (user + system,
/// all threads including GC and JIT). One <see cref="MessageEvaluator"/> over the in-memory zone serves every thread,
/// as in the handler.
/// </summary>
internal static class EvaluateWorker
{
    public static async Task<int> RunAsync()
    {
        var manifest = EvaluateCorpus.Manifest();
        var evaluator = new MessageEvaluator(EvaluateCorpus.Zone(), EvaluateCorpus.Options());
        var messages = manifest.ToDictionary(e => e.File, e => (Entry: e, Bytes: (ReadOnlyMemory<byte>)File.ReadAllBytes(Path.Combine(EvaluateCorpus.Directory, e.File))));
        Console.Out.Flush();
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            switch (parts[0])
            {
                case "check":
                    var results = new Dictionary<string, object>();
                    foreach (var (file, m) in messages)
                    {
                        var v = await evaluator.EvaluateAsync(EvaluateCorpus.Envelope(m.Entry), m.Bytes).ConfigureAwait(false);
                        results[file] = new
                        {
                            spf = Name(v.Spf?.Result),
                            dkim = v.Dkim.Select(d => Name(d.Result)).ToArray(),
                            arc = Name(v.Arc.Status),
                            dmarc = Name(v.Result),
                            authenticationResults = v.AuthenticationResults,
                        };
                    }

                    Console.WriteLine(JsonSerializer.Serialize(results));
                    break;
                case "run":
                    var (entry, bytes) = messages[parts[1]];
                    var seconds = double.Parse(parts[2], CultureInfo.InvariantCulture);
                    var threads = int.Parse(parts[3], CultureInfo.InvariantCulture);
                    Console.WriteLine(JsonSerializer.Serialize(Run(evaluator, EvaluateCorpus.Envelope(entry), bytes, seconds, threads)));
                    break;
                case "quit":
                    return 0;
                default:
                    Console.WriteLine(JsonSerializer.Serialize(new { error = "unknown command " + parts[0] }));
                    break;
            }
        }

        return 0;
    }

    public static Task<int> LoopAsync(string file, double seconds)
    {
        var entry = EvaluateCorpus.Manifest().Single(e => e.File == file);
        var evaluator = new MessageEvaluator(EvaluateCorpus.Zone(), EvaluateCorpus.Options());
        var result = Run(evaluator, EvaluateCorpus.Envelope(entry), File.ReadAllBytes(Path.Combine(EvaluateCorpus.Directory, file)), seconds, 1);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return Task.FromResult(0);
    }

    private static string Name(object? value) => value is null ? "none" : value.ToString()!.ToLowerInvariant();

    private static object Run(MessageEvaluator evaluator, SmtpEnvelope envelope, ReadOnlyMemory<byte> message, double seconds, int threads)
    {
        // Warm-up outside the clock, 50 runs and at least 0.5 s (tiered JIT promotes hot methods after ~30 calls and a
        // delay, later on a loaded machine); mailauth's side warms up the same way.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 50 || warm.Elapsed.TotalSeconds < 0.5; i++)
        {
            evaluator.EvaluateAsync(envelope, message).GetAwaiter().GetResult();
        }

        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var gcStart = GC.CollectionCount(0);
        var allocStart = GC.GetTotalAllocatedBytes(precise: false);
        var wall = Stopwatch.StartNew();
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var counts = new long[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            long n = 0;
            do
            {
                // The in-memory zone answers synchronously, so this does not block on I/O.
                evaluator.EvaluateAsync(envelope, message).GetAwaiter().GetResult();
                n++;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            counts[t] = n;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        wall.Stop();
        process.Refresh();
        var total = counts.Sum();
        return new
        {
            count = total,
            wallSeconds = wall.Elapsed.TotalSeconds,
            cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds,
            allocatedBytesPerMessage = (GC.GetTotalAllocatedBytes(precise: false) - allocStart) / (double)total,
            gen0 = GC.CollectionCount(0) - gcStart,
        };
    }
}
