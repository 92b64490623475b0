using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Arm;

/// <summary>One resource instance a compiled template declares (copy loops expanded, modules flattened).</summary>
internal sealed record ArmResource(string Type, string Name, string RawName, bool Existing, JsonObject Json, ArmScope Scope, string Module)
{
    /// <summary>The last segment of the evaluated name: the queue, container or table name.</summary>
    public string LeafName => Name.Split('/')[^1];

    public JsonNode? Evaluate(string property) => ArmExpression.ToNode(ArmExpression.EvaluateNode(Json[property], Scope));
}
