namespace DmarcCloud.Infra.Tests;

/// <summary>A recursive copy of a folder in the temp directory, deleted on dispose.</summary>
internal sealed class TemporaryCopy : IDisposable
{
    private TemporaryCopy(string path) => Path = path;

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

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
