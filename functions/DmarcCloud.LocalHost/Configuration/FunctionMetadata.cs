namespace DmarcCloud.LocalHost.Configuration;

/// <summary>One function: its folder name and the bindings of its function.json.</summary>
public sealed record FunctionMetadata
{
    /// <summary>The function name (the folder holding function.json); the handler is called at <c>POST /{Name}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The function.json path.</summary>
    public required string Path { get; init; }

    /// <summary><c>disabled</c> in function.json.</summary>
    public bool Disabled { get; init; }

    /// <summary>Every binding in file order.</summary>
    public required IReadOnlyList<BindingMetadata> Bindings { get; init; }

    /// <summary>The single trigger binding.</summary>
    public BindingMetadata Trigger => Bindings.Single(b => b.IsTrigger);

    /// <summary>The output bindings.</summary>
    public IEnumerable<BindingMetadata> Outputs => Bindings.Where(b => b.Direction is BindingDirection.Out or BindingDirection.InOut);
}
