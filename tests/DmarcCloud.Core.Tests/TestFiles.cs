using YamlDotNet.RepresentationModel;

namespace DmarcCloud.Core.Tests;

/// <summary>Access to the files under TestData/ (copied next to the test assembly).</summary>
internal static class TestFiles
{
    public static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(PathOf(parts));

    public static string Text(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>Loads every YAML document of a file with the representation model, which keeps duplicate keys.</summary>
    public static IReadOnlyList<YamlMappingNode> YamlDocuments(params string[] parts)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(PathOf(parts));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s ? s.Value : null;

    public static YamlNode? Child(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
