namespace DmarcCloud.Infra.Tests;

/// <summary>A recursive copy of a folder in the temp directory, deleted on dispose.</summary>
internal sealed class TemporaryCopy : IDisposable
{
    private readonly string? _root;

    private TemporaryCopy(string path, string? root = null)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public static TemporaryCopy Of(string source)
    {
        var target = Directory.CreateTempSubdirectory("dmarccloud-copy-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return new TemporaryCopy(target);
    }

    /// <summary>
    /// infra/ copied to <c>&lt;temp&gt;/infra</c> with host.json beside it, as in the repository (main.bicep reads
    /// <c>../host.json</c>); <see cref="Path"/> is the infra copy.
    /// </summary>
    public static TemporaryCopy OfInfra()
    {
        var root = Directory.CreateTempSubdirectory("dmarccloud-infra-").FullName;
        var infra = System.IO.Path.Combine(root, "infra");
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.InfraDirectory, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(infra, System.IO.Path.GetRelativePath(RepositoryLayout.InfraDirectory, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        File.Copy(RepositoryLayout.HostJson, System.IO.Path.Combine(root, "host.json"));
        return new TemporaryCopy(infra, root);
    }

    public void Dispose() => Directory.Delete(_root ?? Path, recursive: true);
}
