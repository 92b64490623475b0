using System.Text.Json;
using System.Text.Json.Nodes;
using DmarcCloud.LocalHost.Bindings;
using DmarcCloud.LocalHost.Protocol;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Keeps each timer's ScheduleStatus in Azurite, where the host keeps it in the storage account:
/// blob <c>azure-webjobs-hosts/timers/&lt;hostId&gt;/&lt;Function&gt;.Run/status</c> holding {Last, Next, LastUpdated}.
/// </summary>
public sealed class ScheduleStatusStore(LocalStorage storage, string hostId = "dmarccloud-local")
{
    /// <summary>The container the host uses for its own state.</summary>
    public const string Container = "azure-webjobs-hosts";

    /// <summary>The blob name of a function's status.</summary>
    public string BlobName(string functionName) => $"timers/{hostId}/{functionName}.Run/status";

    /// <summary>The stored status, or null when the timer never ran.</summary>
    public async Task<TimerScheduleStatus?> ReadAsync(string functionName, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient(BlobName(functionName));
        try
        {
            var content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            using var document = JsonDocument.Parse(content.ToMemory());
            var root = document.RootElement;
            return new TimerScheduleStatus(
                root.GetProperty("Last").GetDateTimeOffset(),
                root.GetProperty("Next").GetDateTimeOffset(),
                root.GetProperty("LastUpdated").GetDateTimeOffset());
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes the status.</summary>
    public async Task WriteAsync(string functionName, TimerScheduleStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        var container = await storage.ContainerAsync(Container, cancellationToken).ConfigureAwait(false);
        var json = new JsonObject
        {
            ["Last"] = HostPayloadBuilder.FormatObjectDateTime(status.Last),
            ["Next"] = HostPayloadBuilder.FormatObjectDateTime(status.Next),
            ["LastUpdated"] = HostPayloadBuilder.FormatObjectDateTime(status.LastUpdated),
        };
        await container.GetBlobClient(BlobName(functionName)).UploadAsync(BinaryData.FromString(json.ToJsonString()), overwrite: true, cancellationToken).ConfigureAwait(false);
    }
}
