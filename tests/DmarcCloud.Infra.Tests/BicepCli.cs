using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// The pinned Bicep CLI: build to ARM JSON and lint, offline. Each CLI start costs seconds, so the
/// whole infra/ tree is built once and linted once per test run (--pattern) and the tests share it.
/// </summary>
internal static class BicepCli
{
    public const string InfraPattern = "infra/**/*.bicep";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<ProcessResult>> InfraLint = new(() => LintPatternAsync(InfraPattern, RepositoryLayout.Root));
    private static readonly Lazy<Task<(ProcessResult Result, string OutDir)>> InfraBuild = new(BuildInfraAsync);

    /// <summary>`bicep lint --pattern infra/**/*.bicep`, run once.</summary>
    public static Task<ProcessResult> InfraLintAsync() => InfraLint.Value;

    /// <summary>`bicep build --pattern infra/**/*.bicep --outdir tmp`, run once.</summary>
    public static Task<(ProcessResult Result, string OutDir)> InfraBuildAsync() => InfraBuild.Value;

    /// <summary>infra/main.bicep compiled (from the shared build).</summary>
    public static async Task<JsonObject> CompiledMainAsync()
    {
        var (result, outDir) = await InfraBuildAsync().ConfigureAwait(false);
        var main = Path.Combine(outDir, "main.json");
        if (result.ExitCode != 0 || !File.Exists(main))
        {
            throw new InvalidOperationException($"bicep build failed ({result.ExitCode}):\n{result.Combined}");
        }

        return JsonNode.Parse(await File.ReadAllTextAsync(main).ConfigureAwait(false))!.AsObject();
    }

    public static Task<ProcessResult> LintPatternAsync(string pattern, string workingDirectory) =>
        ProcessRunner.RunAsync(RepositoryLayout.Bicep, ["lint", "--pattern", pattern], Timeout, workingDirectory);

    /// <summary>Builds one file (used on modified copies of infra/).</summary>
    public static async Task<JsonObject> BuildAsync(string bicepFile)
    {
        var result = await ProcessRunner.RunAsync(RepositoryLayout.Bicep, ["build", bicepFile, "--stdout"], Timeout).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.StandardError.Trim().Length > 0)
        {
            throw new InvalidOperationException($"bicep build {bicepFile} failed ({result.ExitCode}):\n{result.StandardError}");
        }

        return JsonNode.Parse(result.StandardOutput)?.AsObject()
            ?? throw new InvalidOperationException($"bicep build {bicepFile} produced no JSON");
    }

    private static async Task<(ProcessResult, string)> BuildInfraAsync()
    {
        var outDir = Directory.CreateTempSubdirectory("dmarccloud-bicep-").FullName;
        var result = await ProcessRunner.RunAsync(
            RepositoryLayout.Bicep, ["build", "--pattern", InfraPattern, "--outdir", outDir], Timeout).ConfigureAwait(false);
        return (result, outDir);
    }
}
