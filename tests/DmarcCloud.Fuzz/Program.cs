using System.Diagnostics;
using System.Globalization;
using DmarcCloud.Fuzz;
using DmarcCloud.Fuzz.Engine;
using DmarcCloud.Fuzz.Targets;

// scripts/fuzz.sh runs this program; the xunit tests in this project run the short fixed-seed session.
//   fuzz [--minutes M] [--iterations N] [--targets a,b] [--seed S] [--save DIR]   mutate and check every target
//   complexity                                                                    doubling table per parser
//   message <shape>                                                               one 25 MiB message: time, memory
var command = args.Length > 0 ? args[0] : "fuzz";
string? Option(string name) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault();
switch (command)
{
    case "fuzz":
    {
        var minutes = double.Parse(Option("minutes") ?? "1", CultureInfo.InvariantCulture);
        var iterations = long.Parse(Option("iterations") ?? long.MaxValue.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var seed = int.Parse(Option("seed") ?? Environment.TickCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var save = Option("save");
        var targets = Option("targets")?.Split(',') is { } names ? names.Select(FuzzTargets.Get).ToList() : [.. FuzzTargets.All];
        var perTarget = TimeSpan.FromMinutes(minutes) / targets.Count;
        Console.WriteLine($"seed {seed}, {targets.Count} targets, {perTarget.TotalSeconds:N0} s each, at most {(iterations == long.MaxValue ? "unlimited" : iterations.ToString("N0", CultureInfo.InvariantCulture))} iterations each");
        Console.WriteLine("target          iterations   exec/s   exceptions   slow   allocation   max ms   max CPU ms   max MiB alloc");
        var total = 0;
        foreach (var target in targets)
        {
            var runner = new FuzzRunner(target, new FuzzBudget { SlowByCpuTime = Option("slow-by") == "cpu" });
            var watch = Stopwatch.StartNew();
            runner.Run(
                seed,
                iterations,
                perTarget,
                finding =>
                {
                    var path = save is null ? null : FuzzRunner.Save(finding, save);
                    Console.Error.WriteLine($"  {finding.Target} {finding.Kind}: {finding.Detail.Split('\n')[0]} {path}");
                },
                (r, elapsed) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  progress {target.Name}: {r.Iterations:N0} inputs in {elapsed.TotalMinutes:N1} min, {r.Findings.Count} findings, slowest {r.MaxElapsed.TotalMilliseconds:N0} ms ({r.MaxCpu.TotalMilliseconds:N0} ms CPU), most {r.MaxAllocated / 1048576.0:N1} MiB")),
                TimeSpan.FromMinutes(double.Parse(Option("progress-minutes") ?? "5", CultureInfo.InvariantCulture)));
            total += runner.Findings.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target.Name,-15} {runner.Iterations,10:N0} {runner.Iterations / watch.Elapsed.TotalSeconds,8:N0} {runner.Findings.Count(f => f.Kind == FindingKind.Exception),12} {runner.Findings.Count(f => f.Kind == FindingKind.Slow),6} {runner.Findings.Count(f => f.Kind == FindingKind.Allocation),12} {runner.MaxElapsed.TotalMilliseconds,8:N0} {runner.MaxCpu.TotalMilliseconds,12:N0} {runner.MaxAllocated / 1048576.0,15:N1}"));
        }

        Console.WriteLine($"{total} findings");
        return total == 0 ? 0 : 1;
    }

    case "replay":
    {
        // replay <target> <file...>: run saved inputs and print what each cost.
        var target = FuzzTargets.Get(args[1]);
        var runner = new FuzzRunner(target, new FuzzBudget());
        target.Run(target.Seeds[0]);
        foreach (var file in args.Skip(2))
        {
            var finding = runner.Check(FuzzRunner.Load(file));
            Console.WriteLine($"{file}: {runner.MaxElapsed.TotalMilliseconds:N0} ms max ({runner.MaxCpu.TotalMilliseconds:N0} ms CPU max), {(finding is null ? "ok" : finding.Kind + " " + finding.Detail.Split('\n')[0])}");
        }

        return runner.Findings.Count == 0 ? 0 : 1;
    }

    case "profile":
    {
        // profile <target> [--seconds S] [--seed N]: where a session's time goes (making inputs vs running them; the
        // costliest inputs by time and by allocation), to size a target's blow-ups against the limits it checks first.
        var target = FuzzTargets.Get(args[1]);
        var seconds = double.Parse(Option("seconds") ?? "60", CultureInfo.InvariantCulture);
        var mutator = new Mutator(target, int.Parse(Option("seed") ?? "1", CultureInfo.InvariantCulture));
        target.Run(target.Seeds[0]);
        var rows = new List<(double Ms, long Allocated, int Length, string Head)>();
        var makes = new List<(double Ms, int Length, string Head)>();
        var making = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var made = Stopwatch.StartNew();
            var input = mutator.Next();
            making += made.Elapsed;
            makes.Add((made.Elapsed.TotalMilliseconds, input.Length, new string([.. System.Text.Encoding.Latin1.GetString(input, 0, int.Min(input.Length, 48)).Select(c => c is >= ' ' and < '\x7f' ? c : '.')])));
            var before = GC.GetAllocatedBytesForCurrentThread();
            var run = Stopwatch.StartNew();
            try
            {
                target.Run(input);
            }
            catch (Exception ex)
            {
                Console.WriteLine($"exception {ex.GetType().Name}");
            }

            var head = new string([.. System.Text.Encoding.Latin1.GetString(input, 0, int.Min(input.Length, 48)).Select(c => c is >= ' ' and < '\x7f' ? c : '.')]);
            rows.Add((run.Elapsed.TotalMilliseconds, GC.GetAllocatedBytesForCurrentThread() - before, input.Length, head));
        }

        var running = rows.Sum(r => r.Ms);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} inputs in {clock.Elapsed.TotalSeconds:N0} s ({rows.Count / clock.Elapsed.TotalSeconds:N0}/s): making inputs {making.TotalSeconds:N1} s, running them {running / 1000:N1} s, the rest (GC, bookkeeping) {clock.Elapsed.TotalSeconds - making.TotalSeconds - (running / 1000):N1} s"));
        foreach (var (label, limit) in new[] { ("< 64 KiB", 64 * 1024), ("< 512 KiB", 512 * 1024), ("< 2 MiB", 2 * 1024 * 1024), (">= 2 MiB", int.MaxValue) })
        {
            var share = rows.Where(r => r.Length < limit && r.Length >= (label switch { "< 512 KiB" => 64 * 1024, "< 2 MiB" => 512 * 1024, ">= 2 MiB" => 2 * 1024 * 1024, _ => 0 })).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  inputs {label,-10}: {share.Count,8:N0}, {share.Sum(r => r.Ms) / 1000,6:N1} s, {share.Sum(r => r.Allocated) / 1048576.0,9:N0} MiB allocated"));
        }

        Console.WriteLine("costliest by time:");
        foreach (var r in rows.OrderByDescending(r => r.Ms).Take(12))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Ms,8:N1} ms {r.Allocated / 1048576.0,7:N1} MiB {r.Length,10:N0} B  {r.Head}"));
        }

        Console.WriteLine("slowest to make:");
        foreach (var m in makes.OrderByDescending(m => m.Ms).Take(12))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {m.Ms,8:N1} ms {m.Length,10:N0} B  {m.Head}"));
        }

        Console.WriteLine("costliest by allocation:");
        foreach (var r in rows.OrderByDescending(r => r.Allocated).Take(8))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Ms,8:N1} ms {r.Allocated / 1048576.0,7:N1} MiB {r.Length,10:N0} B  {r.Head}"));
        }

        return 0;
    }

    case "header-worst":
    {
        // header-worst <field bytes> <block bytes> <line bytes>: what MimeKit allocates for a header block of fields at the limits.
        var field = int.Parse(args[1], CultureInfo.InvariantCulture);
        var block = int.Parse(args[2], CultureInfo.InvariantCulture);
        var line = int.Parse(args[3], CultureInfo.InvariantCulture);
        var sb = new System.Text.StringBuilder("From: a@example.com\r\n");
        while (sb.Length + field < block)
        {
            var start = sb.Length;
            sb.Append("X-Long: x");
            while (sb.Length - start + line + 3 < field)
            {
                sb.Append("\r\n ").Append('y', line);
            }

            sb.Append("\r\n");
        }

        var raw = System.Text.Encoding.ASCII.GetBytes(sb.Append("\r\nbody\r\n").ToString());
        DmarcCloud.Core.Mime.MessageReader.Parse(raw);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        DmarcCloud.Core.Mime.MessageReader.Parse(raw);
        Console.WriteLine($"{raw.Length:N0} bytes: {watch.ElapsedMilliseconds} ms, {(GC.GetAllocatedBytesForCurrentThread() - before) / 1048576.0:N1} MiB allocated");
        return 0;
    }

    case "complexity":
        return Complexity.Run(Console.Out);

    case "message":
        return LargeMessage.Run(args.Length > 1 ? args[1] : "subject", Console.Out);

    default:
        Console.Error.WriteLine("usage: DmarcCloud.Fuzz fuzz [--minutes M] [--iterations N] [--targets a,b] [--seed S] [--save DIR] | complexity | message <shape>");
        return 2;
}
