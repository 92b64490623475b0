using System.Text;
using System.Text.RegularExpressions;
using DmarcCloud.Infra.Tests.Arm;

namespace DmarcCloud.Infra.Tests.Bindings;

/// <summary>
/// Cross-checks the bindings of the SDK-generated <c>functions.metadata</c>, the names in code
/// (<see cref="CodeNames"/>) and docs/architecture.md against what the compiled Bicep template deploys, in both
/// directions. Returns every mismatch as a sentence; an empty list means they agree.
/// </summary>
/// <remarks>
/// Service Bus has no binding in the isolated worker here: the app sends with the SDK to every queue in
/// <see cref="CodeNames.SentServiceBusQueues"/>, and a timer function drains queue <c>q</c> when its schedule is
/// <c>%&lt;Q&gt;DrainSchedule%</c> (<c>Q</c> = the queue name in PascalCase, e.g. <c>OutboundReportsDrainSchedule</c>;
/// docs/architecture.md). Those are the code-side facts compared with the template's queues and roles.
/// </remarks>
internal static partial class BindingCrossCheck
{
    public const string StorageConnection = "AzureWebJobsStorage";

    public const string DrainScheduleSuffix = "DrainSchedule";

    /// <param name="bindings">Bindings of functions.metadata.</param>
    /// <param name="code">The names the code uses.</param>
    /// <param name="template">What the template deploys.</param>
    /// <param name="architecture">The names table.</param>
    /// <param name="completeFunctionSet">
    /// True when <paramref name="bindings"/> holds every function of the app: then each queue the app identity may
    /// receive from must also be triggered on or drained by some function, so no role is wider than the code needs.
    /// </param>
    public static IReadOnlyList<string> Check(
        IReadOnlyList<FunctionBinding> bindings, CodeNames code, TemplateInventory template, ArchitectureNames architecture, bool completeFunctionSet)
    {
        var problems = new List<string>();
        var drained = new HashSet<string>(StringComparer.Ordinal);
        var triggered = new HashSet<string>(StringComparer.Ordinal);

        foreach (var binding in bindings)
        {
            CheckBinding(binding, template, problems, drained, triggered);
        }

        CheckCode(code, template, problems);
        CheckArchitecture(template, architecture, problems);

        if (completeFunctionSet)
        {
            foreach (var queue in template.Queues.Order(StringComparer.Ordinal))
            {
                if (template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataReceiver) && !drained.Contains(queue))
                {
                    problems.Add($"the app identity may receive from Service Bus queue '{queue}' but no function drains it");
                }
            }

            foreach (var queue in template.StorageQueues.Order(StringComparer.Ordinal))
            {
                if (template.AppHoldsStorageQueueRole(queue, TemplateInventory.StorageQueueDataMessageProcessor) && !triggered.Contains(queue))
                {
                    problems.Add($"the app identity may process storage queue '{queue}' but no function triggers on it");
                }
            }
        }

        return problems;
    }

    private static void CheckBinding(FunctionBinding binding, TemplateInventory template, List<string> problems, HashSet<string> drained, HashSet<string> triggered)
    {
        switch (binding.Type.ToLowerInvariant())
        {
            case "queuetrigger":
                {
                    CheckStorageConnection(binding, problems);
                    var queue = Resolve(binding, "queueName", binding.Text("queueName"), template, problems);
                    if (queue is null)
                    {
                        return;
                    }

                    if (!template.StorageQueues.Contains(queue))
                    {
                        problems.Add($"{binding.Describe}: storage queue '{queue}' is not in the template");
                        return;
                    }

                    triggered.Add(queue);
                    if (!template.AppHoldsStorageQueueRole(queue, TemplateInventory.StorageQueueDataMessageProcessor)
                        || !template.AppHoldsStorageQueueRole(queue, TemplateInventory.StorageQueueDataReader))
                    {
                        problems.Add($"{binding.Describe}: the app identity lacks Storage Queue Data Reader + Message Processor on queue '{queue}'");
                    }

                    var poison = queue + "-poison";
                    if (!template.StorageQueues.Contains(poison))
                    {
                        problems.Add($"{binding.Describe}: poison queue '{poison}' is not in the template");
                    }
                    else if (!template.AppHoldsStorageQueueRole(poison, TemplateInventory.StorageQueueDataMessageSender))
                    {
                        problems.Add($"{binding.Describe}: the app identity has no Storage Queue Data Message Sender role on poison queue '{poison}'");
                    }

                    return;
                }

            case "timertrigger":
                {
                    var raw = binding.Text("schedule");
                    var schedule = Resolve(binding, "schedule", raw, template, problems);
                    if (schedule is not null && schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
                    {
                        problems.Add($"{binding.Describe}: schedule '{schedule}' is not a six-field NCRONTAB expression");
                    }

                    if (raw is not null && Setting().Match(raw) is { Success: true } m && m.Groups[1].Value.EndsWith(DrainScheduleSuffix, StringComparison.Ordinal))
                    {
                        var queue = KebabCase(m.Groups[1].Value[..^DrainScheduleSuffix.Length]);
                        if (!template.Queues.Contains(queue))
                        {
                            problems.Add($"{binding.Describe}: drains Service Bus queue '{queue}', which is not in the template");
                        }
                        else if (!template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataReceiver))
                        {
                            problems.Add($"{binding.Describe}: the app identity has no Azure Service Bus Data Receiver role on queue '{queue}'");
                        }
                        else
                        {
                            drained.Add(queue);
                        }
                    }

                    return;
                }

            case "httptrigger":
                if (!string.Equals(binding.Text("authLevel"), "Anonymous", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(binding.Text("authLevel"), "Function", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{binding.Describe}: authLevel '{binding.Text("authLevel")}' needs keys the template does not hand out");
                }

                return;

            case "http":
                return;

            default:
                problems.Add($"{binding.Describe}: binding type '{binding.Type}' is not one the app's extensions provide (queue, timer, http)");
                return;
        }
    }

    private static void CheckCode(CodeNames code, TemplateInventory template, List<string> problems)
    {
        foreach (var queue in code.SentServiceBusQueues)
        {
            if (!template.Queues.Contains(queue))
            {
                problems.Add($"code sends to Service Bus queue '{queue}', which is not in the template");
            }
            else if (!template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataSender))
            {
                problems.Add($"code sends to Service Bus queue '{queue}' but the app identity has no Azure Service Bus Data Sender role on it");
            }
        }

        foreach (var queue in template.Queues.Order(StringComparer.Ordinal))
        {
            if (template.AppHoldsQueueRole(queue, TemplateInventory.ServiceBusDataSender) && !code.SentServiceBusQueues.Contains(queue))
            {
                problems.Add($"the app identity may send to Service Bus queue '{queue}' but no code sends to it");
            }
        }

        Compare("code", "storage queue", code.StorageQueues.ToHashSet(StringComparer.Ordinal), template.StorageQueues, problems);
        Compare("code", "table", code.Tables.ToHashSet(StringComparer.Ordinal), template.Tables, problems);
        var deploymentContainer = DeploymentContainer(template);
        Compare("code", "blob container", code.Containers.ToHashSet(StringComparer.Ordinal), template.Containers.Where(c => c != deploymentContainer).ToHashSet(StringComparer.Ordinal), problems);

        if (!template.AppSettings.ContainsKey($"{code.ServiceBusConnection}__fullyQualifiedNamespace"))
        {
            problems.Add($"connection '{code.ServiceBusConnection}' has no {code.ServiceBusConnection}__fullyQualifiedNamespace app setting");
        }

        if (!template.AppSettings.TryGetValue($"{code.ServiceBusConnection}__credential", out var credential) || credential != "managedidentity")
        {
            problems.Add($"connection '{code.ServiceBusConnection}' is not identity-based ({code.ServiceBusConnection}__credential=managedidentity)");
        }
    }

    private static void CheckStorageConnection(FunctionBinding binding, List<string> problems)
    {
        var connection = binding.Text("connection");
        if (!string.IsNullOrEmpty(connection) && connection != StorageConnection)
        {
            problems.Add($"{binding.Describe}: connection '{connection}' is not {StorageConnection}, the only storage connection the template configures");
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
        Compare("docs/architecture.md", "Service Bus queue", architecture.Queues, template.Queues, problems);
        Compare("docs/architecture.md", "storage queue", architecture.StorageQueues, template.StorageQueues, problems);
        Compare("docs/architecture.md", "table", architecture.Tables, template.Tables, problems);
        var deploymentContainer = DeploymentContainer(template);
        Compare("docs/architecture.md", "blob container", architecture.Containers, template.Containers.Where(c => c != deploymentContainer).ToHashSet(StringComparer.Ordinal), problems);
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

    /// <summary>The Flex deployment-package container, which neither code nor the architecture table lists.</summary>
    public static string? DeploymentContainer(TemplateInventory template)
    {
        var site = template.OfType("Microsoft.Web/sites").SingleOrDefault();
        var value = site?.Evaluate("properties")?["functionAppConfig"]?["deployment"]?["storage"]?["value"]?.GetValue<string>();
        return value?.Replace(ArmExpression.Runtime, string.Empty, StringComparison.Ordinal).Split('/')[^1];
    }

    /// <summary><c>OutboundReports</c> → <c>outbound-reports</c>.</summary>
    public static string KebabCase(string pascal)
    {
        var text = new StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private static void Compare(string source, string kind, ISet<string> named, IReadOnlySet<string> deployed, List<string> problems)
    {
        foreach (var name in named.Except(deployed).Order(StringComparer.Ordinal))
        {
            problems.Add($"{source} {kind} '{name}' is not in the template");
        }

        foreach (var name in deployed.Except(named).Order(StringComparer.Ordinal))
        {
            problems.Add($"template {kind} '{name}' is not in {source}");
        }
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Setting();
}
