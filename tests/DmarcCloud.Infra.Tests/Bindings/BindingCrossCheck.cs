using System.Text.RegularExpressions;
using DmarcCloud.Infra.Tests.Arm;

namespace DmarcCloud.Infra.Tests.Bindings;

/// <summary>
/// Cross-checks the names used by function.json bindings and docs/architecture.md against what the
/// compiled Bicep template deploys, and the template against the architecture table. Returns every
/// mismatch as a sentence; an empty list means they agree.
/// </summary>
internal static partial class BindingCrossCheck
{
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <param name="bindings">Bindings of the function.json files to check.</param>
    /// <param name="template">What the template deploys.</param>
    /// <param name="architecture">The names table.</param>
    /// <param name="completeFunctionSet">
    /// True when <paramref name="bindings"/> holds every function of the app: then each queue the app
    /// identity may receive from (or send to) must also be triggered on (or written to) by some function,
    /// so no role is wider than the code needs.
    /// </param>
    public static IReadOnlyList<string> Check(
        IReadOnlyList<FunctionBinding> bindings, TemplateInventory template, ArchitectureNames architecture, bool completeFunctionSet)
    {
        var problems = new List<string>();
        var received = new HashSet<string>(StringComparer.Ordinal);
        var sent = new HashSet<string>(StringComparer.Ordinal);

        foreach (var binding in bindings)
        {
            CheckBinding(binding, template, problems, received, sent);
        }

        CheckArchitecture(template, architecture, problems);

        if (completeFunctionSet)
        {
            foreach (var queue in template.Queues.Order(StringComparer.Ordinal))
            {
                if (template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataReceiver) && !received.Contains(queue))
                {
                    problems.Add($"the app identity may receive from Service Bus queue '{queue}' but no function triggers on it");
                }

                if (template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataSender) && !sent.Contains(queue))
                {
                    problems.Add($"the app identity may send to Service Bus queue '{queue}' but no function writes to it");
                }
            }
        }

        return problems;
    }

    private static void CheckBinding(
        FunctionBinding binding, TemplateInventory template, List<string> problems, HashSet<string> received, HashSet<string> sent)
    {
        switch (binding.Type.ToLowerInvariant())
        {
            case "servicebustrigger":
            case "servicebus":
                {
                    CheckServiceBusConnection(binding, template, problems);
                    if (binding.Text("topicName") is { } topic)
                    {
                        var topicName = Resolve(binding, "topicName", topic, template, problems);
                        if (topicName is not null && !template.Topics.Contains(topicName))
                        {
                            problems.Add($"{binding.Describe}: Service Bus topic '{topicName}' is not in the template");
                        }

                        return;
                    }

                    var queue = Resolve(binding, "queueName", binding.Text("queueName"), template, problems);
                    if (queue is null)
                    {
                        return;
                    }

                    if (!template.Queues.Contains(queue))
                    {
                        problems.Add($"{binding.Describe}: Service Bus queue '{queue}' is not in the template");
                        return;
                    }

                    if (binding.IsTrigger)
                    {
                        received.Add(queue);
                        if (!template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataReceiver))
                        {
                            problems.Add($"{binding.Describe}: the app identity has no Azure Service Bus Data Receiver role on queue '{queue}'");
                        }
                    }
                    else if (binding.IsOutput)
                    {
                        sent.Add(queue);
                        if (!template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataSender))
                        {
                            problems.Add($"{binding.Describe}: the app identity has no Azure Service Bus Data Sender role on queue '{queue}'");
                        }
                    }

                    return;
                }

            case "blobtrigger":
            case "blob":
                {
                    if (binding.IsTrigger && !string.Equals(binding.Text("source"), "EventGrid", StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{binding.Describe}: Flex Consumption runs blob triggers only with \"source\": \"EventGrid\"");
                    }

                    CheckStorageConnection(binding, template, problems, TemplateInventory.StorageBlobDataOwner, "Storage Blob Data Owner");
                    var path = Resolve(binding, "path", binding.Text("path"), template, problems);
                    if (path is null)
                    {
                        return;
                    }

                    var container = path.Split('/')[0];
                    if (container.Contains('{', StringComparison.Ordinal))
                    {
                        problems.Add($"{binding.Describe}: the container in path '{path}' must be a fixed name");
                    }
                    else if (!template.Containers.Contains(container))
                    {
                        problems.Add($"{binding.Describe}: blob container '{container}' is not in the template");
                    }

                    return;
                }

            case "table":
                {
                    CheckStorageConnection(binding, template, problems, TemplateInventory.StorageTableDataContributor, "Storage Table Data Contributor");
                    var table = Resolve(binding, "tableName", binding.Text("tableName"), template, problems);
                    if (table is not null && !template.Tables.Contains(table))
                    {
                        problems.Add($"{binding.Describe}: table '{table}' is not in the template");
                    }

                    return;
                }

            case "queuetrigger":
            case "queue":
                {
                    var queue = Resolve(binding, "queueName", binding.Text("queueName"), template, problems);
                    if (queue is not null && !template.StorageQueues.Contains(queue))
                    {
                        problems.Add($"{binding.Describe}: storage queue '{queue}' is not in the template (DmarcCloud moves messages on Service Bus; see docs/architecture.md)");
                    }

                    if (!template.AppHoldsStorageRole(TemplateInventory.StorageQueueDataContributor))
                    {
                        problems.Add($"{binding.Describe}: the app identity has no Storage Queue Data Contributor role");
                    }

                    return;
                }

            case "timertrigger":
                {
                    var schedule = Resolve(binding, "schedule", binding.Text("schedule"), template, problems);
                    if (schedule is not null && schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
                    {
                        problems.Add($"{binding.Describe}: schedule '{schedule}' is not a six-field NCRONTAB expression");
                    }

                    return;
                }

            default:
                return;
        }
    }

    private static void CheckServiceBusConnection(FunctionBinding binding, TemplateInventory template, List<string> problems)
    {
        var connection = binding.Text("connection");
        if (string.IsNullOrEmpty(connection))
        {
            problems.Add($"{binding.Describe}: no \"connection\" (the identity-based settings are ServiceBusConnection__*)");
            return;
        }

        if (!template.AppSettings.ContainsKey($"{connection}__fullyQualifiedNamespace"))
        {
            problems.Add($"{binding.Describe}: connection '{connection}' has no {connection}__fullyQualifiedNamespace app setting");
        }

        if (!template.AppSettings.TryGetValue($"{connection}__credential", out var credential) || credential != "managedidentity")
        {
            problems.Add($"{binding.Describe}: connection '{connection}' is not identity-based ({connection}__credential=managedidentity)");
        }
    }

    private static void CheckStorageConnection(FunctionBinding binding, TemplateInventory template, List<string> problems, string roleId, string roleName)
    {
        var connection = binding.Text("connection");
        if (!string.IsNullOrEmpty(connection) && connection != StorageConnection)
        {
            problems.Add($"{binding.Describe}: connection '{connection}' is not {StorageConnection}, the only storage connection the template configures");
            return;
        }

        if (!template.AppHoldsStorageRole(roleId))
        {
            problems.Add($"{binding.Describe}: the app identity has no {roleName} role on the storage account");
        }
    }

    /// <summary>Resolves %Setting% references against the template's app settings.</summary>
    private static string? Resolve(FunctionBinding binding, string property, string? value, TemplateInventory template, List<string> problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add($"{binding.Describe}: no \"{property}\"");
            return null;
        }

        var failed = false;
        var resolved = Setting().Replace(value, m =>
        {
            var name = m.Groups[1].Value;
            if (template.AppSettings.TryGetValue(name, out var setting) && setting is not null && !ArmExpression.IsRuntime(setting))
            {
                return setting;
            }

            problems.Add($"{binding.Describe}: {property} '%{name}%' is not an app setting with a fixed value in the template");
            failed = true;
            return m.Value;
        });
        return failed ? null : resolved;
    }

    private static void CheckArchitecture(TemplateInventory template, ArchitectureNames architecture, List<string> problems)
    {
        Compare("Service Bus queue", architecture.Queues, template.Queues, problems);
        Compare("table", architecture.Tables, template.Tables, problems);
        var deploymentContainer = DeploymentContainer(template);
        Compare("blob container", architecture.Containers, template.Containers.Where(c => c != deploymentContainer).ToHashSet(StringComparer.Ordinal), problems);
        foreach (var setting in architecture.AppSettings)
        {
            var found = setting.EndsWith("__*", StringComparison.Ordinal)
                ? template.AppSettings.Keys.Any(k => k.StartsWith(setting[..^1], StringComparison.Ordinal))
                : template.AppSettings.ContainsKey(setting);
            if (!found)
            {
                problems.Add($"docs/architecture.md app setting '{setting}' is not set by the template");
            }
        }
    }

    /// <summary>The Flex deployment-package container, which the architecture table does not list.</summary>
    public static string? DeploymentContainer(TemplateInventory template)
    {
        var site = template.OfType("Microsoft.Web/sites").SingleOrDefault();
        var value = site?.Evaluate("properties")?["functionAppConfig"]?["deployment"]?["storage"]?["value"]?.GetValue<string>();
        return value?.Replace(ArmExpression.Runtime, string.Empty, StringComparison.Ordinal).Split('/')[^1];
    }

    private static void Compare(string kind, ISet<string> documented, IReadOnlySet<string> deployed, List<string> problems)
    {
        foreach (var name in documented.Except(deployed).Order(StringComparer.Ordinal))
        {
            problems.Add($"docs/architecture.md {kind} '{name}' is not in the template");
        }

        foreach (var name in deployed.Except(documented).Order(StringComparer.Ordinal))
        {
            problems.Add($"template {kind} '{name}' is not in docs/architecture.md");
        }
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Setting();
}
