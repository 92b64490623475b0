using System.Text.Json;

namespace DmarcCloud.LocalHost.Configuration;

/// <summary>
/// Reads every <c>&lt;FunctionName&gt;/function.json</c> under a functions directory (folders named after the
/// function, as the host expects), resolving <c>%Setting%</c> references in string properties.
/// </summary>
public static class FunctionMetadataReader
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git"];

    /// <summary>Finds and reads every function.json below <paramref name="functionsDirectory"/> (bin/obj skipped).</summary>
    public static async Task<IReadOnlyList<FunctionMetadata>> ReadAllAsync(
        string functionsDirectory, LocalSettings settings, CancellationToken cancellationToken = default)
    {
        var result = new List<FunctionMetadata>();
        foreach (var path in FindFunctionJsonFiles(functionsDirectory))
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            var name = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)!);
            result.Add(Parse(name, path, text, settings));
        }

        var duplicate = result.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"Two functions are named '{duplicate.Key}': {string.Join(", ", duplicate.Select(f => f.Path))}.");
        }

        return [.. result.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>Parses one function.json.</summary>
    /// <exception cref="FormatException">Not a function.json: no bindings, a binding without type/name, not exactly one trigger.</exception>
    public static FunctionMetadata Parse(string name, string path, string text, LocalSettings settings)
    {
        using var document = HostConfigurationReader.ParseDocument(text, path);
        var root = document.RootElement;
        if (!Json.TryGet(root, "bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: no 'bindings' array.");
        }

        var list = new List<BindingMetadata>();
        foreach (var binding in bindings.EnumerateArray())
        {
            list.Add(ParseBinding(binding, path, settings));
        }

        var triggers = list.Count(b => b.IsTrigger);
        if (triggers != 1)
        {
            throw new FormatException($"{path}: {triggers} trigger bindings; a function has exactly one.");
        }

        return new FunctionMetadata
        {
            Name = name,
            Path = path,
            Disabled = Json.GetBool(root, "disabled") ?? false,
            Bindings = list,
        };
    }

    private static BindingMetadata ParseBinding(JsonElement binding, string path, LocalSettings settings)
    {
        var type = Json.GetString(binding, "type") ?? throw new FormatException($"{path}: a binding has no 'type'.");
        var name = Json.GetString(binding, "name") ?? throw new FormatException($"{path}: a {type} binding has no 'name'.");
        var direction = (Json.GetString(binding, "direction") ?? "in").ToLowerInvariant() switch
        {
            "in" => BindingDirection.In,
            "out" => BindingDirection.Out,
            "inout" => BindingDirection.InOut,
            var other => throw new FormatException($"{path}: binding '{name}' has direction '{other}'."),
        };
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var methods = new List<string>();
        foreach (var property in binding.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    properties[property.Name] = settings.Resolve(property.Value.GetString()!);
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    properties[property.Name] = property.Value.GetRawText();
                    break;
                case JsonValueKind.Array when string.Equals(property.Name, "methods", StringComparison.OrdinalIgnoreCase):
                    methods.AddRange(property.Value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!.ToUpperInvariant()));
                    break;
                default:
                    break; // nested objects are not used by the bindings the runner plays
            }
        }

        return new BindingMetadata
        {
            Type = type,
            Name = name,
            Direction = direction,
            DataType = properties.GetValueOrDefault("dataType"),
            Properties = properties,
            Methods = methods,
        };
    }

    private static IEnumerable<string> FindFunctionJsonFiles(string directory)
    {
        foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (Skipped.Contains(System.IO.Path.GetFileName(sub), StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var candidate = System.IO.Path.Combine(sub, "function.json");
            if (File.Exists(candidate))
            {
                yield return candidate;
            }

            foreach (var nested in FindFunctionJsonFiles(sub))
            {
                yield return nested;
            }
        }
    }
}
