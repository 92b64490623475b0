using System.IO.Compression;
using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// scripts/package.sh zips the `dotnet publish` output of the isolated-worker app: host.json (the repository's,
/// without customHandler or extensionBundle), worker.config.json naming DmarcCloud.Functions.dll, the SDK's
/// functions.metadata, and no function.json. The test publishes without ReadyToRun (crossgen2 takes minutes on a
/// shared machine); set DMARCCLOUD_PACKAGE_READY_TO_RUN=true to check the ReadyToRun package the same way.
/// </summary>
public sealed class PackageLayoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private static readonly Lazy<Task<Package>> Built = new(BuildAsync);

    private static string ReadyToRun => Environment.GetEnvironmentVariable("DMARCCLOUD_PACKAGE_READY_TO_RUN") is "true" ? "true" : "false";

    [Fact]
    public async Task The_zip_is_the_publish_output_of_an_isolated_worker_app()
    {
        var package = await Built.Value;
        using var zip = ZipFile.OpenRead(package.Zip);

        Assert.Equal(await File.ReadAllTextAsync(RepositoryLayout.HostJson), await ReadEntryAsync(zip, "host.json"));
        var host = JsonNode.Parse(await ReadEntryAsync(zip, "host.json"))!.AsObject();
        Assert.False(host.ContainsKey("customHandler"));
        Assert.False(host.ContainsKey("extensionBundle"));
        var worker = JsonNode.Parse(await ReadEntryAsync(zip, "worker.config.json"))!["description"]!;
        Assert.Equal("DmarcCloud.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.NotNull(zip.GetEntry("DmarcCloud.Functions.dll"));
        Assert.DoesNotContain(zip.Entries, e => e.Name == "function.json");
        Assert.Contains(zip.Entries, e => e.FullName.StartsWith(".azurefunctions/", StringComparison.Ordinal));
        Assert.Equal(zip.Entries.Count, package.Info["files"]!.GetValue<int>());
        Assert.Equal(ReadyToRun == "true", package.Info["readyToRun"]!.GetValue<bool>());
        Assert.Equal("linux-x64", package.Info["rid"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_packaged_functions_metadata_lists_every_function()
    {
        var package = await Built.Value;
        using var zip = ZipFile.OpenRead(package.Zip);

        var functions = JsonNode.Parse(await ReadEntryAsync(zip, "functions.metadata"))!.AsArray();

        Assert.Equal(
            ["BuildAggregateReport", "Dashboard", "DomainAdvice", "DomainCheck", "DomainSimulation", "EvaluateMessage", "Health", "ReceivedDomains", "ReceivedFailures", "ReceivedReport", "ReceivedReportList", "ReceivedReportRaw", "ReceivedReporters", "ReceivedSources", "ReceivedSummary", "ScheduleAggregateReports", "SendFailureReports", "SendReport", "UploadReport"],
            functions.Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(functions, f => Assert.Equal("DmarcCloud.Functions.dll", f!["scriptFile"]!.GetValue<string>()));
    }

    private static async Task<string> ReadEntryAsync(ZipArchive zip, string name)
    {
        using var reader = new StreamReader((zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} missing from the zip")).Open());
        return await reader.ReadToEndAsync();
    }

    private static async Task<Package> BuildAsync()
    {
        var output = Directory.CreateTempSubdirectory("dmarccloud-package-").FullName;
        var args = new List<string> { Path.Combine(RepositoryLayout.Root, "scripts", "package.sh"), "--output", output, "--ready-to-run", ReadyToRun };
        var result = await ProcessRunner.RunAsync("bash", args, Timeout);
        Assert.True(result.ExitCode == 0, $"scripts/package.sh failed ({result.ExitCode}):\n{result.Combined}");
        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "build-info.json")))!.AsObject();
        return new Package(output, Path.Combine(output, "dmarccloud-functions.zip"), info);
    }

    private sealed record Package(string OutputDirectory, string Zip, JsonObject Info);
}
