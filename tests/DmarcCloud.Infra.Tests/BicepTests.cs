using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests;

/// <summary>Every .bicep file builds and lints clean with infra/bicepconfig.json, offline, zero warnings.</summary>
public sealed class BicepTests
{
    /// <summary>Core linter rules that must stay raised to error.</summary>
    private static readonly string[] RequiredErrorRules =
    [
        "no-hardcoded-env-urls", "no-unused-params", "no-unused-vars", "outputs-should-not-contain-secrets",
        "secure-parameter-default", "secure-secrets-in-params", "use-secure-value-for-secure-inputs",
        "use-stable-resource-identifiers", "no-unnecessary-dependson", "use-resource-symbol-reference",
        "prefer-interpolation", "simplify-interpolation", "use-parent-property", "no-hardcoded-location",
        "explicit-values-for-loc-params", "what-if-short-circuiting",
    ];

    /// <summary>Files that each break one rule, linted together with the strict config.</summary>
    private static readonly Dictionary<string, string> RuleBreakers = new()
    {
        ["no-unused-params"] = "param unused string\n",
        ["no-unused-vars"] = "var unused = 1\n",
        ["secure-parameter-default"] = "@secure()\nparam pw string = 'hunter2'\noutput n int = length(pw)\n",
        ["no-hardcoded-env-urls"] = "output u string = 'https://management.azure.com/'\n",
        ["outputs-should-not-contain-secrets"] = "@secure()\nparam pw string\noutput password string = pw\n",
    };

    private static readonly Lazy<Task<ProcessResult>> RuleBreakerLint = new(LintRuleBreakersAsync);

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryLayout.InfraDirectory, file));
        }

        return data;
    }

    public static TheoryData<string> Rules() => new(RuleBreakers.Keys);

    [Fact]
    public async Task Lint_of_every_file_reports_nothing()
    {
        var result = await BicepCli.InfraLintAsync();

        Assert.True(result.ExitCode == 0 && result.Combined.Trim().Length == 0, $"bicep lint --pattern {BicepCli.InfraPattern} (exit {result.ExitCode}):\n{result.Combined}");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Each_file_builds_without_diagnostics(string file)
    {
        var (result, outDir) = await BicepCli.InfraBuildAsync();
        var diagnostics = result.Combined.Split('\n').Where(l => l.Contains(file, StringComparison.Ordinal)).ToList();
        var compiled = Path.Combine(outDir, Path.ChangeExtension(file, ".json"));

        Assert.True(diagnostics.Count == 0, string.Join('\n', diagnostics));
        Assert.True(File.Exists(compiled), $"no ARM template for {file}:\n{result.Combined}");
        var template = JsonNode.Parse(await File.ReadAllTextAsync(compiled))!.AsObject();
        Assert.Contains("deploymentTemplate.json", template["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_of_every_file_reports_nothing()
    {
        var (result, _) = await BicepCli.InfraBuildAsync();

        Assert.True(result.ExitCode == 0 && result.Combined.Trim().Length == 0, $"bicep build --pattern (exit {result.ExitCode}):\n{result.Combined}");
    }

    [Fact]
    public void The_linter_config_raises_the_core_rules_to_error()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.InfraDirectory, "bicepconfig.json")))!;
        var core = config["analyzers"]!["core"]!;
        Assert.True(core["enabled"]!.GetValue<bool>());
        var rules = core["rules"]!.AsObject();

        Assert.All(rules, rule => Assert.Equal("error", rule.Value!["level"]!.GetValue<string>()));
        Assert.All(RequiredErrorRules, name => Assert.True(rules.ContainsKey(name), $"bicepconfig.json does not list {name}"));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task The_strict_config_turns_a_finding_into_a_failing_lint(string rule)
    {
        // The same config on files that each break one rule: lint must fail on each, so the clean
        // lint of infra/ above means something.
        var result = await RuleBreakerLint.Value;

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(
            result.Combined.Split('\n'),
            line => line.Contains($"{rule}.bicep(", StringComparison.Ordinal) && line.Contains($": Error {rule}:", StringComparison.Ordinal));
    }

    private static async Task<ProcessResult> LintRuleBreakersAsync()
    {
        var dir = Directory.CreateTempSubdirectory("dmarccloud-lint-");
        try
        {
            File.Copy(Path.Combine(RepositoryLayout.InfraDirectory, "bicepconfig.json"), Path.Combine(dir.FullName, "bicepconfig.json"));
            foreach (var (rule, bicep) in RuleBreakers)
            {
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"{rule}.bicep"), bicep);
            }

            return await BicepCli.LintPatternAsync("*.bicep", dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
