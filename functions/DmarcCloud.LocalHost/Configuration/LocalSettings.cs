using System.Collections;
using System.Text.Json;

namespace DmarcCloud.LocalHost.Configuration;

/// <summary>
/// App settings for the local run: the <c>Values</c> of a local.settings.json-like file, overlaid by the
/// process environment and explicit overrides (last wins), as Core Tools does.
/// </summary>
public sealed class LocalSettings
{
    private readonly Dictionary<string, string> _values;

    /// <summary>Settings from the given values only.</summary>
    public LocalSettings(IEnumerable<KeyValuePair<string, string>> values) =>
        _values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every setting (these become the handler's environment).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>
    /// Reads <paramref name="path"/> (when it exists) and overlays environment variables that name a setting
    /// from the file; <paramref name="overrides"/> win over both.
    /// </summary>
    public static async Task<LocalSettings> LoadAsync(
        string? path, IEnumerable<KeyValuePair<string, string>>? overrides = null, CancellationToken cancellationToken = default)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (path is not null && File.Exists(path))
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            using var document = HostConfigurationReader.ParseDocument(text, path);
            if (Json.TryGet(document.RootElement, "Values", out var settings) && settings.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in settings.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }

        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (values.ContainsKey(key) && entry.Value is string value)
            {
                values[key] = value;
            }
        }

        foreach (var (key, value) in overrides ?? [])
        {
            values[key] = value;
        }

        return new LocalSettings(values);
    }

    /// <summary>A setting from these values, else from the environment, else null.</summary>
    public string? Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

    /// <summary>
    /// Replaces every <c>%Name%</c> in <paramref name="text"/> with the setting's value, as the host does for
    /// binding expressions (e.g. <c>"schedule": "%AggregateReportSchedule%"</c>).
    /// </summary>
    /// <exception cref="FormatException">A referenced setting does not exist.</exception>
    public string Resolve(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new System.Text.StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf('%', position);
            var end = start < 0 ? -1 : text.IndexOf('%', start + 1);
            if (start < 0 || end < 0)
            {
                result.Append(text, position, text.Length - position);
                break;
            }

            result.Append(text, position, start - position);
            var name = text[(start + 1)..end];
            result.Append(Get(name) ?? throw new FormatException($"The app setting '{name}' referenced as %{name}% is not set."));
            position = end + 1;
        }

        return result.ToString();
    }
}
