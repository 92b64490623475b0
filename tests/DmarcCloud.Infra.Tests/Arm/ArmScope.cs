using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Arm;

/// <summary>Evaluation context of one (nested) template: its parameter values, variables, copy index, lambda variables.</summary>
internal sealed class ArmScope
{
    private readonly JsonObject _template;
    private readonly IReadOnlyDictionary<string, JsonNode?> _parameterValues;
    private readonly Dictionary<string, object?> _variables;
    private readonly ImmutableDictionary<string, JsonNode?> _lambdaVariables;

    public ArmScope(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameterValues)
        : this(template, parameterValues, new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase), 0,
               ImmutableDictionary<string, JsonNode?>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase))
    {
    }

    private ArmScope(
        JsonObject template,
        IReadOnlyDictionary<string, JsonNode?> parameterValues,
        Dictionary<string, object?> variables,
        int copyIndex,
        ImmutableDictionary<string, JsonNode?> lambdaVariables)
    {
        _template = template;
        _parameterValues = parameterValues;
        _variables = variables;
        CopyIndex = copyIndex;
        _lambdaVariables = lambdaVariables;
    }

    public int CopyIndex { get; }

    public ArmScope WithCopyIndex(int index) => new(_template, _parameterValues, _variables, index, _lambdaVariables);

    public ArmScope WithLambdaVariable(string name, JsonNode? value) =>
        new(_template, _parameterValues, _variables, CopyIndex, _lambdaVariables.SetItem(name, value));

    public object? Parameter(string name)
    {
        foreach (var (key, value) in _parameterValues)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var declaration = Find(_template["parameters"] as JsonObject, name)
            ?? throw new InvalidOperationException($"parameter '{name}' is not declared");
        return declaration is JsonObject d && d.ContainsKey("defaultValue")
            ? ArmExpression.EvaluateNode(d["defaultValue"], this)
            : JsonValue.Create(ArmExpression.Runtime);
    }

    public object? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var node = Find(_template["variables"] as JsonObject, name)
            ?? throw new InvalidOperationException($"variable '{name}' is not declared");
        var value = ArmExpression.EvaluateNode(node, new ArmScope(_template, _parameterValues, _variables, 0, _lambdaVariables.Clear()));
        _variables[name] = value;
        return value;
    }

    public object? LambdaVariable(string name) =>
        _lambdaVariables.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"lambda variable '{name}' unknown");

    private static JsonNode? Find(JsonObject? obj, string name)
    {
        if (obj is null)
        {
            return null;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
