namespace DmarcCloud.Testing;

/// <summary>Finds files of the repository from a test's output directory.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DmarcCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DmarcCloud.sln not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root (the folder holding DmarcCloud.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
