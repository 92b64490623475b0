using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Arm;

/// <summary>Enumerates the resources of a compiled template, descending into module deployments.</summary>
internal static class TemplateWalker
{
    public static IReadOnlyList<ArmResource> Resources(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        var list = new List<ArmResource>();
        Walk(template, new ArmScope(template, parameters), "main", list);
        return list;
    }

    private static void Walk(JsonObject template, ArmScope scope, string module, List<ArmResource> list)
    {
        IEnumerable<JsonObject> declared = template["resources"] switch
        {
            JsonObject byName => byName.Select(p => p.Value!.AsObject()),
            JsonArray array => array.Select(r => r!.AsObject()),
            _ => [],
        };

        foreach (var resource in declared)
        {
            var count = 1;
            var isCopy = resource["copy"] is JsonObject copy;
            if (isCopy)
            {
                var evaluated = ArmExpression.EvaluateNode(resource["copy"]!["count"], scope);
                count = evaluated is JsonValue v && v.TryGetValue<int>(out var n)
                    ? n
                    : throw new InvalidOperationException($"copy count of {resource["name"]} is not known before deployment");
            }

            for (var i = 0; i < count; i++)
            {
                var instanceScope = isCopy ? scope.WithCopyIndex(i) : scope;
                if (resource["condition"] is { } condition
                    && ArmExpression.EvaluateNode(condition, instanceScope) is JsonValue c
                    && c.TryGetValue<bool>(out var include) && !include)
                {
                    continue;
                }

                var type = resource["type"]!.GetValue<string>();
                var rawName = resource["name"]!.GetValue<string>();
                var name = ArmExpression.AsString(ArmExpression.EvaluateString(rawName, instanceScope)) ?? string.Empty;
                var existing = resource["existing"] is JsonValue e && e.GetValue<bool>();
                list.Add(new ArmResource(type, name, rawName, existing, resource, instanceScope, module));

                if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                    && resource["properties"]?["template"] is JsonObject nested)
                {
                    var values = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
                    if (resource["properties"]?["parameters"] is JsonObject given)
                    {
                        foreach (var (key, value) in given)
                        {
                            values[key] = ArmExpression.ToNode(ArmExpression.EvaluateNode(value?["value"], instanceScope));
                        }
                    }

                    Walk(nested, new ArmScope(nested, values), name, list);
                }
            }
        }
    }
}
