using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using DmarcCloud.Infra.Tests.Arm;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// The local Service Bus's queue file (functions/DmarcCloud.LocalServiceBus/queues.json, used by run-local and the
/// end-to-end tests) gives every queue the properties infra/main.bicep deploys, so a retry count or lock duration
/// tested locally is the one that runs in Azure.
/// </summary>
public sealed class ServiceBusQueueConfigTests
{
    private static readonly string QueuesJson = Path.Combine(RepositoryLayout.Root, "functions", "DmarcCloud.LocalServiceBus", "queues.json");

    [Fact]
    public async Task The_local_queue_file_and_the_template_deploy_the_same_queues_with_the_same_properties()
    {
        var template = TemplateInventory.From(await BicepCli.CompiledMainAsync());
        var deployed = template.OfType("Microsoft.ServiceBus/namespaces/queues")
            .ToDictionary(r => r.LeafName, r => Describe((JsonObject)r.Evaluate("properties")!), StringComparer.Ordinal);
        var local = LocalQueues();

        Assert.Equal(deployed.Keys.Order(StringComparer.Ordinal), local.Keys.Order(StringComparer.Ordinal));
        Assert.All(deployed, q => Assert.Equal(q.Value, local[q.Key]));
    }

    [Fact]
    public void The_report_queues_dead_letter_after_the_delivery_counts_the_tests_rely_on()
    {
        // tests/DmarcCloud.LocalHost.Tests/EndToEnd/ReportDeliveryFaultTests read these from the file; this pins them.
        var local = LocalQueues();

        Assert.Equal(5, local["aggregate-jobs"].MaxDeliveryCount);
        Assert.Equal(10, local["outbound-reports"].MaxDeliveryCount);
        Assert.All(local.Values, q => Assert.Equal(TimeSpan.FromDays(1), q.DuplicateDetectionWindow));
    }

    private static Dictionary<string, QueueProperties> LocalQueues()
    {
        var root = JsonNode.Parse(File.ReadAllText(QueuesJson), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        return root["queues"]!.AsObject().ToDictionary(
            q => q.Key,
            q => new QueueProperties(
                q.Value!["maxDeliveryCount"]!.GetValue<int>(),
                TimeSpan.Parse(q.Value["lockDuration"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                TimeSpan.Parse(q.Value["defaultMessageTimeToLive"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                q.Value["deadLetteringOnMessageExpiration"]!.GetValue<bool>(),
                q.Value["duplicateDetectionHistoryTimeWindow"] is JsonNode window ? TimeSpan.Parse(window.GetValue<string>(), CultureInfo.InvariantCulture) : null),
            StringComparer.Ordinal);
    }

    private static QueueProperties Describe(JsonObject properties) => new(
        properties["maxDeliveryCount"]!.GetValue<int>(),
        XmlConvert.ToTimeSpan(properties["lockDuration"]!.GetValue<string>()),
        XmlConvert.ToTimeSpan(properties["defaultMessageTimeToLive"]!.GetValue<string>()),
        properties["deadLetteringOnMessageExpiration"]!.GetValue<bool>(),
        properties["requiresDuplicateDetection"]?.GetValue<bool>() == true
            ? XmlConvert.ToTimeSpan(properties["duplicateDetectionHistoryTimeWindow"]!.GetValue<string>())
            : null);

    private sealed record QueueProperties(int MaxDeliveryCount, TimeSpan LockDuration, TimeSpan TimeToLive, bool DeadLetteringOnExpiration, TimeSpan? DuplicateDetectionWindow);
}
