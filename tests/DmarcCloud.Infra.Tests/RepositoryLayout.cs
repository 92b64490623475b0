namespace DmarcCloud.Infra.Tests;

/// <summary>Paths in the repository the tests run from, found by walking up to DmarcCloud.sln.</summary>
internal static class RepositoryLayout
{
    public const string BicepVersion = "0.49.2";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string InfraDirectory => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(InfraDirectory, "main.bicep");

    public static string FunctionsProjectDirectory => Path.Combine(Root, "functions", "DmarcCloud.Functions");

    public static string ArchitectureDoc => Path.Combine(Root, "docs", "architecture.md");

    public static string HostJson => Path.Combine(Root, "host.json");

    public static string TestData => Path.Combine(AppContext.BaseDirectory, "TestData");

    public static string Bicep
    {
        get
        {
            var path = Path.Combine(Root, ".tools", "bicep", BicepVersion, "bicep");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"Bicep CLI {BicepVersion} not found at {path}. Run scripts/setup.sh (it downloads " +
                    "Azure.Bicep.CommandLine.linux-x64 from NuGet) and run the tests again.");
            }

            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DmarcCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No DmarcCloud.sln above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }
}
