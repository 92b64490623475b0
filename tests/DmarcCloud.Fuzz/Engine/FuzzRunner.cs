using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;

namespace DmarcCloud.Fuzz.Engine;

/// <summary>Limits an input is held to, and where findings go.</summary>
internal sealed record FuzzBudget
{
    /// <summary>Longest an input may take: 2 s (issue 14 acceptance).</summary>
    public TimeSpan TimePerInput { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most an input may allocate: 64 MiB (issue 14 acceptance).</summary>
    public long MaxAllocatedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Allocation allowed per input byte, above <see cref="FixedAllocatedBytes"/>: 64. A parser that copies its
    /// input a few times stays far below; one that copies per token or per line does not.
    /// </summary>
    public int AllocationPerInputByte { get; init; } = 64;

    /// <summary>Allocation allowed whatever the input size (schemas, key import, MimeKit buffers): 16 MiB.</summary>
    public long FixedAllocatedBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// When true, an input over <see cref="TimePerInput"/> of wall time is a finding only if the thread's CPU time is
    /// over it too (<c>--slow-by cpu</c>; Linux, 10 ms resolution). For long sessions on a shared, loaded machine.
    /// </summary>
    public bool SlowByCpuTime { get; init; }
}

/// <summary>CPU time of the calling thread from /proc/thread-self/stat (utime + stime), or null where unavailable.</summary>
internal static class ThreadCpu
{
    private static readonly bool Available = OperatingSystem.IsLinux() && File.Exists("/proc/thread-self/stat");

    public static TimeSpan? Now()
    {
        if (!Available)
        {
            return null;
        }

        // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15 (clock ticks of 10 ms).
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) * 10);
    }
}

/// <summary>Runs a target over mutated inputs, measuring each, and records what breaks the budget.</summary>
internal sealed class FuzzRunner(FuzzTarget target, FuzzBudget budget)
{
    public long Iterations { get; private set; }

    public List<Finding> Findings { get; } = [];

    /// <summary>The slowest input so far (wall time).</summary>
    public TimeSpan MaxElapsed { get; private set; }

    /// <summary>The most CPU time of the running thread an input took (Linux; zero elsewhere).</summary>
    public TimeSpan MaxCpu { get; private set; }

    /// <summary>The most any input allocated so far.</summary>
    public long MaxAllocated { get; private set; }

    /// <summary>Fuzzes until <paramref name="iterations"/> inputs ran or <paramref name="duration"/> passed.</summary>
    public void Run(int seed, long iterations, TimeSpan duration, Action<Finding>? onFinding = null, Action<FuzzRunner, TimeSpan>? progress = null, TimeSpan progressEvery = default)
    {
        var nextProgress = progressEvery > TimeSpan.Zero ? progressEvery : TimeSpan.MaxValue;
        var mutator = new Mutator(target, seed);

        // Warm-up, not measured: JIT, schema compilation, lazy tables.
        target.Run(target.Seeds[0]);
        var clock = Stopwatch.StartNew();
        foreach (var s in target.Seeds)
        {
            Check(s, onFinding);
        }

        while (Iterations < iterations && clock.Elapsed < duration)
        {
            Check(mutator.Next(), onFinding);
            if (clock.Elapsed > nextProgress)
            {
                // A long session on a shared machine may be stopped: what it reached so far is printed as it goes.
                progress?.Invoke(this, clock.Elapsed);
                nextProgress = clock.Elapsed + progressEvery;
            }
        }
    }

    /// <summary>Runs one input; a finding is recorded (and returned) when it breaks the contract or the budget.</summary>
    public Finding? Check(byte[] input, Action<Finding>? onFinding = null)
    {
        Iterations++;
        var cpuBefore = ThreadCpu.Now();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        Finding? finding = null;
        try
        {
            target.Run(input);
        }
        catch (Exception ex)
        {
            finding = new Finding(target.Name, FindingKind.Exception, $"{ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}", input, watch.Elapsed, 0);
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var cpu = cpuBefore is { } start && ThreadCpu.Now() is { } end ? end - start : (TimeSpan?)null;
        MaxElapsed = watch.Elapsed > MaxElapsed ? watch.Elapsed : MaxElapsed;
        MaxCpu = cpu > MaxCpu ? cpu.Value : MaxCpu;
        MaxAllocated = long.Max(MaxAllocated, allocated);
        var allowed = long.Min(budget.MaxAllocatedBytes, budget.FixedAllocatedBytes + ((long)budget.AllocationPerInputByte * input.Length));
        if (finding is null && allocated > allowed)
        {
            finding = new Finding(target.Name, FindingKind.Allocation, $"allocated {allocated:N0} bytes for {input.Length:N0} input bytes (allowed {allowed:N0})", input, watch.Elapsed, allocated);
        }
        else if (finding is null && watch.Elapsed > budget.TimePerInput && (!budget.SlowByCpuTime || cpu is null || cpu > budget.TimePerInput))
        {
            // On a loaded machine wall time mostly measures the wait for a core: with SlowByCpuTime, an input is slow
            // only when the thread's own CPU time is over the budget too (wall and CPU are both in the note).
            finding = new Finding(target.Name, FindingKind.Slow, $"took {watch.Elapsed.TotalMilliseconds:N0} ms ({cpu?.TotalMilliseconds:N0} ms CPU) for {input.Length:N0} bytes", input, watch.Elapsed, allocated);
        }

        if (finding is not null)
        {
            Findings.Add(finding);
            onFinding?.Invoke(finding);
        }

        return finding;
    }

    /// <summary>Saves a finding as a regression case: Regressions/&lt;target&gt;/&lt;kind&gt;-&lt;sha1&gt;.bin (gzip over 64 KiB) and a .txt note.</summary>
    public static string Save(Finding finding, string folder)
    {
        var dir = Path.Combine(folder, finding.Target);
        Directory.CreateDirectory(dir);
        var name = $"{finding.Kind.ToString().ToLowerInvariant()}-{Convert.ToHexStringLower(SHA1.HashData(finding.Input))[..16]}";
        var path = Path.Combine(dir, name + (finding.Input.Length > 64 * 1024 ? ".bin.gz" : ".bin"));
        if (finding.Input.Length > 64 * 1024)
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
            gzip.Write(finding.Input);
        }
        else
        {
            File.WriteAllBytes(path, finding.Input);
        }

        File.WriteAllText(Path.Combine(dir, name + ".txt"), $"{finding.Kind}: {finding.Detail}\n");
        return path;
    }

    /// <summary>Reads a saved regression input (gunzipping .bin.gz).</summary>
    public static byte[] Load(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(path);
        }

        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
