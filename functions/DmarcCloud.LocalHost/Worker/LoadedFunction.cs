using System.Text.Json;
using DmarcCloud.LocalHost.Rpc;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>
/// A function the worker reported (worker indexing) and loaded: its worker-assigned id, and its trigger
/// binding with the binding's properties as written in the raw binding JSON (<c>queueName</c>, <c>schedule</c>,
/// <c>route</c>, <c>methods</c>, <c>connection</c>, <c>dataType</c>…).
/// </summary>
public sealed class LoadedFunction
{
    private readonly Dictionary<string, JsonElement> _trigger;

    private LoadedFunction(string name, string functionId, string triggerType, string triggerName, Dictionary<string, JsonElement> trigger, RpcFunctionMetadata metadata)
    {
        Name = name;
        FunctionId = functionId;
        TriggerType = triggerType;
        TriggerName = triggerName;
        _trigger = trigger;
        Metadata = metadata;
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The id the worker assigned (sent back in FunctionLoadRequest and every InvocationRequest).</summary>
    public string FunctionId { get; }

    /// <summary>The trigger binding type, e.g. <c>httpTrigger</c>, <c>queueTrigger</c>, <c>timerTrigger</c>.</summary>
    public string TriggerType { get; }

    /// <summary>The trigger binding's name (the parameter name: the key of the trigger's input data).</summary>
    public string TriggerName { get; }

    /// <summary>The metadata as the worker reported it.</summary>
    internal RpcFunctionMetadata Metadata { get; }

    /// <summary>Whether the trigger is of <paramref name="type"/> (case-insensitive).</summary>
    public bool Is(string type) => string.Equals(TriggerType, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>A trigger property as text (arrays as their JSON), or null.</summary>
    public string? Get(string property) => _trigger.TryGetValue(property, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        }
        : null;

    /// <summary>A trigger property holding a list of strings (e.g. <c>methods</c>), or empty.</summary>
    public IReadOnlyList<string> GetList(string property) =>
        _trigger.TryGetValue(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    /// <summary>A required trigger property.</summary>
    /// <exception cref="FormatException">The property is missing.</exception>
    public string Require(string property) =>
        Get(property) ?? throw new FormatException($"Function {Name}: the {TriggerType} binding has no '{property}'.");

    /// <summary>Reads the function from worker metadata.</summary>
    /// <exception cref="FormatException">No trigger binding, or a raw binding is not JSON.</exception>
    internal static LoadedFunction FromMetadata(RpcFunctionMetadata metadata)
    {
        foreach (var raw in metadata.RawBindings)
        {
            Dictionary<string, JsonElement> properties;
            try
            {
                using var document = JsonDocument.Parse(raw);
                properties = document.RootElement.EnumerateObject()
                    .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase);
            }
            catch (JsonException e)
            {
                throw new FormatException($"Function {metadata.Name}: a raw binding is not JSON: {e.Message}", e);
            }

            var type = properties.TryGetValue("type", out var t) ? t.GetString() ?? "" : "";
            if (type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            {
                var name = properties.TryGetValue("name", out var n) ? n.GetString() ?? "" : "";
                return new LoadedFunction(metadata.Name, metadata.FunctionId, type, name, properties, metadata);
            }
        }

        throw new FormatException($"Function {metadata.Name} has no trigger binding.");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({TriggerType})";
}
