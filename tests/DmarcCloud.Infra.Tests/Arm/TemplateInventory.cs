using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Arm;

/// <summary>What a compiled main template deploys, as far as names, settings and roles go.</summary>
internal sealed class TemplateInventory
{
    public const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    public const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageQueueDataReader = "19e7f393-937e-4f77-808e-94535e297925";
    public const string StorageQueueDataMessageProcessor = "8a0f0c08-91a1-4084-bc3d-661d67233fed";
    public const string StorageQueueDataMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    /// <summary>Values for main.bicep's required parameters; everything else keeps its default.</summary>
    public static readonly IReadOnlyDictionary<string, JsonNode?> DefaultParameters = new Dictionary<string, JsonNode?>
    {
        ["environmentName"] = "test",
        ["location"] = "westeurope",
    };

    private TemplateInventory(IReadOnlyList<ArmResource> resources)
    {
        Resources = resources;
        var deployed = resources.Where(r => !r.Existing).ToList();
        Queues = deployed.Where(r => Is(r, "Microsoft.ServiceBus/namespaces/queues")).Select(r => r.LeafName).ToHashSet(StringComparer.Ordinal);
        Topics = deployed.Where(r => Is(r, "Microsoft.ServiceBus/namespaces/topics")).Select(r => r.LeafName).ToHashSet(StringComparer.Ordinal);
        Containers = deployed.Where(r => Is(r, "Microsoft.Storage/storageAccounts/blobServices/containers")).Select(r => r.LeafName).ToHashSet(StringComparer.Ordinal);
        Tables = deployed.Where(r => Is(r, "Microsoft.Storage/storageAccounts/tableServices/tables")).Select(r => r.LeafName).ToHashSet(StringComparer.Ordinal);
        StorageQueues = deployed.Where(r => Is(r, "Microsoft.Storage/storageAccounts/queueServices/queues")).Select(r => r.LeafName).ToHashSet(StringComparer.Ordinal);

        var settings = deployed.SingleOrDefault(r => Is(r, "Microsoft.Web/sites/config") && r.Name.EndsWith("/appsettings", StringComparison.Ordinal));
        AppSettings = settings?.Evaluate("properties") is JsonObject obj
            ? obj.ToDictionary(p => p.Key, p => ArmExpression.AsString(p.Value), StringComparer.Ordinal)
            : new Dictionary<string, string?>(StringComparer.Ordinal);

        RoleAssignments = deployed.Where(r => Is(r, "Microsoft.Authorization/roleAssignments"))
            .Select(r => new RoleAssignment(
                r.RawName,
                ArmExpression.AsString(ArmExpression.EvaluateNode(r.Json["scope"], r.Scope)) ?? string.Empty,
                (ArmExpression.AsString(ArmExpression.EvaluateNode(r.Json["properties"]!["roleDefinitionId"], r.Scope)) ?? string.Empty).Split('/')[^1],
                r.Json["properties"]!["principalId"]!.GetValue<string>()))
            .ToList();
    }

    public IReadOnlyList<ArmResource> Resources { get; }

    public IReadOnlySet<string> Queues { get; }

    public IReadOnlySet<string> Topics { get; }

    public IReadOnlySet<string> Containers { get; }

    public IReadOnlySet<string> Tables { get; }

    public IReadOnlySet<string> StorageQueues { get; }

    public IReadOnlyDictionary<string, string?> AppSettings { get; }

    public IReadOnlyList<RoleAssignment> RoleAssignments { get; }

    public static TemplateInventory From(JsonObject compiledMain) =>
        new(TemplateWalker.Resources(compiledMain, DefaultParameters));

    public IEnumerable<ArmResource> OfType(string type) => Resources.Where(r => !r.Existing && Is(r, type));

    /// <summary>Whether the app identity holds <paramref name="roleId"/> on the queue named <paramref name="queue"/>.</summary>
    public bool AppHoldsQueueRole(string queue, string roleId) =>
        RoleAssignments.Any(a => a.IsForAppIdentity && a.RoleDefinitionId == roleId
            && a.Scope.Contains("/Microsoft.ServiceBus/namespaces/", StringComparison.Ordinal)
            && (a.Scope.EndsWith($"/queues/{queue}", StringComparison.Ordinal) || !a.Scope.Contains("/queues/", StringComparison.Ordinal)));

    /// <summary>Whether the app identity holds <paramref name="roleId"/> on the storage queue <paramref name="queue"/> (or the whole account).</summary>
    public bool AppHoldsStorageQueueRole(string queue, string roleId) =>
        RoleAssignments.Any(a => a.IsForAppIdentity && a.RoleDefinitionId == roleId
            && a.Scope.Contains("/Microsoft.Storage/storageAccounts/", StringComparison.Ordinal)
            && (a.Scope.EndsWith($"/queueServices/default/queues/{queue}", StringComparison.Ordinal) || !a.Scope.Contains("/queueServices/", StringComparison.Ordinal)));

    /// <summary>Whether the app identity holds <paramref name="roleId"/> on the storage account.</summary>
    public bool AppHoldsStorageRole(string roleId) =>
        RoleAssignments.Any(a => a.IsForAppIdentity && a.RoleDefinitionId == roleId && a.Scope.Contains("/Microsoft.Storage/storageAccounts/", StringComparison.Ordinal));

    private static bool Is(ArmResource r, string type) => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase);
}
