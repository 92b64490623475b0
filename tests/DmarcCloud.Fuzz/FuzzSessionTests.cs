using DmarcCloud.Fuzz.Engine;
using DmarcCloud.Fuzz.Targets;
using Xunit.Abstractions;

namespace DmarcCloud.Fuzz;

/// <summary>
/// The short fixed-seed fuzz session run by scripts/test.sh (at most 4 s per target, 10 targets), and the replay of
/// every input a session ever found (Regressions/&lt;target&gt;/). Exceptions and allocation over budget fail the
/// test; slowness fails it only past 20 s (a loaded machine is slow, an algorithmic blow-up is far slower), and
/// the long sessions of scripts/fuzz.sh hold inputs to the 2 s budget.
/// </summary>
public class FuzzSessionTests(ITestOutputHelper output)
{
    private const int Seed = 20261201;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    public static TheoryData<string> SessionTargets => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(SessionTargets))]
    public void A_short_fixed_seed_session_finds_nothing(string name)
    {
        var target = FuzzTargets.Get(name);
        var runner = new FuzzRunner(target, new FuzzBudget());
        runner.Run(Seed, iterations: 5_000, duration: TimeSpan.FromSeconds(4));
        output.WriteLine($"{name}: {runner.Iterations} inputs, slowest {runner.MaxElapsed.TotalMilliseconds:N0} ms, most allocated {runner.MaxAllocated:N0} bytes");
        AssertNoFindings(runner);
        Assert.True(runner.Iterations > target.Seeds.Count, "the session ran no mutated input");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_input_a_session_found_is_replayed(string name)
    {
        var runner = new FuzzRunner(FuzzTargets.Get(name), new FuzzBudget());
        var folder = Path.Combine(AppContext.BaseDirectory, "Regressions", name);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder).Where(f => f.EndsWith(".bin", StringComparison.Ordinal) || f.EndsWith(".bin.gz", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList() : [];
        foreach (var file in files)
        {
            runner.Check(FuzzRunner.Load(file));
        }

        output.WriteLine($"{name}: {files.Count} regression inputs replayed");
        AssertNoFindings(runner);
    }

    [Fact]
    public void Every_target_has_seeds_from_the_test_data()
    {
        foreach (var target in FuzzTargets.All)
        {
            Assert.True(target.Seeds.Count > 1, $"{target.Name} has {target.Seeds.Count} seeds");
        }
    }

    private void AssertNoFindings(FuzzRunner runner)
    {
        var failing = runner.Findings.Where(f => f.Kind != FindingKind.Slow || f.Elapsed > HangLimit).ToList();
        foreach (var finding in runner.Findings)
        {
            var saved = FuzzRunner.Save(finding, Path.Combine(AppContext.BaseDirectory, "findings"));
            output.WriteLine($"{finding.Kind}: {finding.Detail} (saved {saved})");
        }

        Assert.True(failing.Count == 0, string.Join("\n", failing.Select(f => $"{f.Kind}: {f.Detail.Split('\n')[0]}")));
    }
}
