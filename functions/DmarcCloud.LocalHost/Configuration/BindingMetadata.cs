namespace DmarcCloud.LocalHost.Configuration;

/// <summary>One entry of a function.json <c>bindings</c> array, with <c>%Setting%</c> references resolved.</summary>
public sealed record BindingMetadata
{
    /// <summary><c>type</c>, e.g. <c>serviceBusTrigger</c>, <c>serviceBus</c>, <c>table</c>, <c>timerTrigger</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>name</c>: the key in <c>Data</c> (inputs) or <c>Outputs</c> (outputs); <c>$return</c> takes ReturnValue.</summary>
    public required string Name { get; init; }

    /// <summary><c>direction</c>.</summary>
    public BindingDirection Direction { get; init; }

    /// <summary><c>dataType</c> (<c>binary</c>, <c>string</c>, <c>stream</c>) or null.</summary>
    public string? DataType { get; init; }

    /// <summary>Every other string or scalar property (queueName, schedule, tableName, path, route, connection...), resolved.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>methods</c> of an httpTrigger (empty: all).</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>True for a trigger binding (type ends with <c>Trigger</c>).</summary>
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <c>dataType</c> is <c>binary</c>.</summary>
    public bool IsBinary => string.Equals(DataType, "binary", StringComparison.OrdinalIgnoreCase);

    /// <summary>A property value, or null.</summary>
    public string? Get(string name) => Properties.TryGetValue(name, out var value) ? value : null;

    /// <summary>A required property value.</summary>
    /// <exception cref="FormatException">The property is missing.</exception>
    public string Require(string name) =>
        Get(name) ?? throw new FormatException($"Binding '{Name}' ({Type}) has no '{name}'.");
}
