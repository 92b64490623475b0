using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Bindings;

/// <summary>One binding of one function in functions.metadata, with the properties that name Azure resources.</summary>
internal sealed record FunctionBinding(string Function, string File, JsonObject Json)
{
    public string Type => Text("type") ?? string.Empty;

    public string Name => Text("name") ?? string.Empty;

    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    public bool IsOutput => string.Equals(Text("direction"), "out", StringComparison.OrdinalIgnoreCase);

    public string Describe => $"{Function} binding '{Name}' ({Type})";

    public string? Text(string property)
    {
        foreach (var (key, value) in Json)
        {
            if (string.Equals(key, property, StringComparison.OrdinalIgnoreCase) && value is JsonValue v && v.TryGetValue<string>(out var s))
            {
                return s;
            }
        }

        return null;
    }
}
