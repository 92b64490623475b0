using System.Text.RegularExpressions;

namespace DmarcCloud.Infra.Tests.Bindings;

/// <summary>The shared names table of docs/architecture.md.</summary>
internal sealed partial class ArchitectureNames
{
    private ArchitectureNames(ISet<string> queues, ISet<string> storageQueues, ISet<string> containers, ISet<string> tables, IReadOnlyList<string> appSettings)
    {
        Queues = queues;
        StorageQueues = storageQueues;
        Containers = containers;
        Tables = tables;
        AppSettings = appSettings;
    }

    public ISet<string> Queues { get; }

    public ISet<string> StorageQueues { get; }

    public ISet<string> Containers { get; }

    public ISet<string> Tables { get; }

    /// <summary>App setting names; a name ending in "__*" stands for any setting with that prefix.</summary>
    public IReadOnlyList<string> AppSettings { get; }

    public static ArchitectureNames Parse(string markdown)
    {
        var queues = new HashSet<string>(StringComparer.Ordinal);
        var storageQueues = new HashSet<string>(StringComparer.Ordinal);
        var containers = new HashSet<string>(StringComparer.Ordinal);
        var tables = new HashSet<string>(StringComparer.Ordinal);
        var settings = new List<string>();
        foreach (var line in markdown.Split('\n'))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 4 || cells[0].Length != 0)
            {
                continue;
            }

            var names = Backticked().Matches(cells[2]).Select(m => m.Groups[1].Value).ToList();
            if (names.Count == 0)
            {
                continue;
            }

            switch (cells[1])
            {
                case "Service Bus queue": queues.Add(names[0]); break;
                case "Storage queue": storageQueues.Add(names[0]); break;
                case "Blob container": containers.Add(names[0]); break;
                case "Table": tables.Add(names[0]); break;
                case "App setting":
                    var baseName = names[0];
                    settings.Add(baseName);
                    var prefix = baseName.Contains("__", StringComparison.Ordinal) ? baseName[..baseName.IndexOf("__", StringComparison.Ordinal)] : baseName;
                    settings.AddRange(names.Skip(1).Where(n => n.StartsWith("__", StringComparison.Ordinal)).Select(n => prefix + n));
                    break;
            }
        }

        if (queues.Count == 0 || containers.Count == 0 || tables.Count == 0)
        {
            throw new InvalidDataException("docs/architecture.md has no names table with queues, containers and tables");
        }

        return new ArchitectureNames(queues, storageQueues, containers, tables, settings);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
