using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Bindings;

/// <summary>Reads every &lt;FunctionName&gt;/function.json under a folder (bin/ and obj/ skipped).</summary>
internal static class FunctionJsonReader
{
    public static IReadOnlyList<string> Find(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "function.json", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public static IReadOnlyList<FunctionBinding> Read(string root) => Find(root).SelectMany(ReadFile).ToList();

    public static IReadOnlyList<FunctionBinding> ReadFile(string file)
    {
        var function = Path.GetFileName(Path.GetDirectoryName(file))!;
        var json = JsonNode.Parse(File.ReadAllText(file))?.AsObject()
            ?? throw new InvalidDataException($"{file} is empty");
        if (json["bindings"] is not JsonArray bindings)
        {
            throw new InvalidDataException($"{file} has no bindings array");
        }

        return bindings.Select(b => new FunctionBinding(function, file, b!.AsObject())).ToList();
    }
}
