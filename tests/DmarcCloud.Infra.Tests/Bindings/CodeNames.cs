using DmarcCloud.Azure;

namespace DmarcCloud.Infra.Tests.Bindings;

/// <summary>The names the app's code uses (functions/DmarcCloud.Azure/ResourceNames.cs), for the cross-check.</summary>
/// <param name="SentServiceBusQueues">Service Bus queues the app sends to with ServiceBusSender.</param>
/// <param name="StorageQueues">Storage queues the app and Event Grid use (trigger queue and its poison queue).</param>
/// <param name="Containers">Blob containers.</param>
/// <param name="Tables">Tables.</param>
/// <param name="ServiceBusConnection">The Service Bus connection setting prefix.</param>
internal sealed record CodeNames(
    IReadOnlyList<string> SentServiceBusQueues,
    IReadOnlyList<string> StorageQueues,
    IReadOnlyList<string> Containers,
    IReadOnlyList<string> Tables,
    string ServiceBusConnection)
{
    /// <summary>The app as built.</summary>
    public static CodeNames App { get; } = new(
        ResourceNames.ServiceBusQueues,
        [ResourceNames.InboundEventsQueue, ResourceNames.InboundEventsPoisonQueue],
        ResourceNames.Containers,
        ResourceNames.Tables,
        ResourceNames.ServiceBusConnection);
}
