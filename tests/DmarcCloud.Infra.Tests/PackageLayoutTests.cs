using System.IO.Compression;
using System.Text.Json.Nodes;
using DmarcCloud.Infra.Tests.Bindings;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// scripts/package.sh builds the zip Flex Consumption runs: host.json at the root, one folder per
/// function with its function.json, and the handler executable (mode 0755) that host.json names.
/// The test publishes in single-file (JIT) mode because Native AOT takes minutes on a shared machine;
/// set DMARCCLOUD_PACKAGE_MODE=aot (or auto) to check the AOT package the same way.
/// </summary>
public sealed class PackageLayoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private static readonly Lazy<Task<Package>> RealTree = new(() => BuildAsync(functionsRoot: null, reuse: null));

    private static readonly Lazy<Task<Package>> FixtureTree = new(async () =>
    {
        var real = await RealTree.Value;
        return await BuildAsync(Path.Combine(RepositoryLayout.TestData, "functions"), real.OutputDirectory);
    });

    private static string Mode => Environment.GetEnvironmentVariable("DMARCCLOUD_PACKAGE_MODE") is { Length: > 0 } m ? m : "single-file";

    [Fact]
    public async Task The_zip_has_host_json_and_the_executable_it_names_with_the_executable_bit()
    {
        var package = await RealTree.Value;
        using var zip = ZipFile.OpenRead(package.Zip);
        var hostEntry = zip.GetEntry("host.json") ?? throw new Xunit.Sdk.XunitException("host.json missing");
        using var reader = new StreamReader(hostEntry.Open());
        var host = JsonNode.Parse(await reader.ReadToEndAsync())!;
        var executable = host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();

        Assert.Equal(await File.ReadAllTextAsync(RepositoryLayout.HostJson), await ReadEntryAsync(zip, "host.json"));
        var entry = zip.GetEntry(executable);
        Assert.NotNull(entry);
        var mode = (entry.ExternalAttributes >> 16) & 0x1FF;
        Assert.True(mode == Convert.ToInt32("755", 8), $"{executable} has mode {Convert.ToString(mode, 8)}");
        Assert.True(entry.Length > 1_000_000, $"{executable} is only {entry.Length} bytes");
        Assert.Equal(executable, package.Info["executable"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_build_reports_the_mode_it_produced()
    {
        var package = await RealTree.Value;
        var mode = package.Info["mode"]!.GetValue<string>();

        Assert.Contains(mode, new[] { "aot", "single-file" });
        Assert.Equal("linux-x64", package.Info["rid"]!.GetValue<string>());
        if (Mode != "auto")
        {
            Assert.Equal(Mode, mode);
        }

        using var zip = ZipFile.OpenRead(package.Zip);
        // Both modes ship one self-contained executable: no managed entry assembly, no symbols.
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".dll", StringComparison.Ordinal));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal) || e.FullName.EndsWith(".dbg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_function_json_in_the_tree_is_packaged_in_its_function_folder()
    {
        var package = await RealTree.Value;
        var sources = FunctionJsonReader.Find(RepositoryLayout.FunctionsProjectDirectory);
        using var zip = ZipFile.OpenRead(package.Zip);

        var folders = zip.Entries.Where(e => e.FullName.EndsWith("/function.json", StringComparison.Ordinal)).Select(e => e.FullName).Order(StringComparer.Ordinal);
        Assert.Equal(sources.Select(s => $"{Path.GetFileName(Path.GetDirectoryName(s))}/function.json").Order(StringComparer.Ordinal), folders);
        foreach (var source in sources)
        {
            Assert.Equal(await File.ReadAllTextAsync(source), await ReadEntryAsync(zip, $"{Path.GetFileName(Path.GetDirectoryName(source))}/function.json"));
        }

        Assert.Equal(sources.Count, package.Info["functions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Function_folders_are_discovered_not_listed()
    {
        // Same executable, fixture function folders: the package follows whatever folders exist.
        var package = await FixtureTree.Value;
        using var zip = ZipFile.OpenRead(package.Zip);

        Assert.Equal(
            ["BuildAggregateReport/function.json", "EvaluateMessage/function.json", "ScheduleAggregateReports/function.json", "SendReport/function.json"],
            zip.Entries.Where(e => e.FullName.EndsWith("function.json", StringComparison.Ordinal)).Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith("README.md", StringComparison.Ordinal));
        Assert.Equal(4, package.Info["functions"]!.GetValue<int>());
    }

    private static async Task<string> ReadEntryAsync(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return await reader.ReadToEndAsync();
    }

    private static async Task<Package> BuildAsync(string? functionsRoot, string? reuse)
    {
        var output = Directory.CreateTempSubdirectory("dmarccloud-package-").FullName;
        var args = new List<string> { Path.Combine(RepositoryLayout.Root, "scripts", "package.sh"), "--output", output };
        if (reuse is null)
        {
            args.AddRange(["--mode", Mode]);
        }
        else
        {
            args.AddRange(["--reuse-publish", reuse]);
        }

        if (functionsRoot is not null)
        {
            args.AddRange(["--functions-root", functionsRoot]);
        }

        var result = await ProcessRunner.RunAsync("bash", args, Timeout);
        Assert.True(result.ExitCode == 0, $"scripts/package.sh failed ({result.ExitCode}):\n{result.Combined}");
        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "build-info.json")))!.AsObject();
        return new Package(output, Path.Combine(output, "dmarccloud-functions.zip"), info);
    }

    private sealed record Package(string OutputDirectory, string Zip, JsonObject Info);
}
