using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DmarcCloud.Core.Tests.Arc;

/// <summary>
/// A YAML reader that keeps every mapping entry in order, duplicates included. The ValiMail ARC suite repeats four
/// test names (see TestData/arc/valimail-arc_test_suite/NOTES.txt); a dictionary-based loader would drop the first
/// of each (or, in YamlDotNet's representation model, throw on the duplicate key).
/// </summary>
internal static class DuplicateKeepingYaml
{
    /// <summary>A node: a scalar string, a list of (key, node) entries, or a list of nodes.</summary>
    internal abstract record Node;

    internal sealed record Scalar(string Value) : Node;

    internal sealed record Mapping(IReadOnlyList<KeyValuePair<string, Node>> Entries) : Node
    {
        public Node? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;

        public string? Text(string key) => this[key] is Scalar s ? s.Value : null;
    }

    internal sealed record Sequence(IReadOnlyList<Node> Items) : Node;

    public static IReadOnlyList<Node> LoadDocuments(string path)
    {
        // The suite's three empty "cv: |" blocks are followed by a line of spaces deeper than the block's end, which
        // PyYAML accepts and YamlDotNet rejects ("extra spaces in first line"); blank exactly those lines.
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), @"(?m)^([ ]+cv:[ ]+\|)\n[ ]+\n", "$1\n\n");
        using var reader = new StringReader(text);
        var parser = new Parser(reader);
        parser.Consume<StreamStart>();
        var documents = new List<Node>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            documents.Add(ReadNode(parser));
            parser.Consume<DocumentEnd>();
        }

        parser.Consume<StreamEnd>();
        return documents;
    }

    private static Node ReadNode(IParser parser)
    {
        if (parser.TryConsume<YamlDotNet.Core.Events.Scalar>(out var scalar))
        {
            return new Scalar(scalar.Value);
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new List<Node>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser));
            }

            return new Sequence(items);
        }

        parser.Consume<MappingStart>();
        var entries = new List<KeyValuePair<string, Node>>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<YamlDotNet.Core.Events.Scalar>().Value;
            entries.Add(new(key, ReadNode(parser)));
        }

        return new Mapping(entries);
    }
}
