using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using DmarcCloud.LocalHost.Worker;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Keeps each timer's ScheduleStatus where the host keeps it in the storage account:
/// blob <c>azure-webjobs-hosts/timers/&lt;hostId&gt;/&lt;Function&gt;.Run/status</c> holding {Last, Next, LastUpdated}.
/// </summary>
public sealed class ScheduleStatusStore(BlobServiceClient blobs, string hostId = "dmarccloud-local")
{
    /// <summary>The container the host uses for its own state.</summary>
    public const string Container = "azure-webjobs-hosts";

    /// <summary>The blob name of a function's status.</summary>
    public string BlobName(string functionName) => $"timers/{hostId}/{functionName}.Run/status";

    /// <summary>The stored status, or null when the timer never ran.</summary>
    public async Task<TimerScheduleStatus?> ReadAsync(string functionName, CancellationToken cancellationToken = default)
    {
        var blob = blobs.GetBlobContainerClient(Container).GetBlobClient(BlobName(functionName));
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
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes the status.</summary>
    public async Task WriteAsync(string functionName, TimerScheduleStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        var container = blobs.GetBlobContainerClient(Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var json = new JsonObject
        {
            ["Last"] = InvocationPayloads.FormatTime(status.Last),
            ["Next"] = InvocationPayloads.FormatTime(status.Next),
            ["LastUpdated"] = InvocationPayloads.FormatTime(status.LastUpdated),
        };
        await container.GetBlobClient(BlobName(functionName)).UploadAsync(BinaryData.FromString(json.ToJsonString()), overwrite: true, cancellationToken).ConfigureAwait(false);
    }
}
