using System.Globalization;
using System.Text.Json.Nodes;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Builds the Event Grid event (Event Grid schema) a storage account publishes for BlobCreated. An Event Grid
/// subscription with a Storage queue endpoint writes this one object, as plain JSON (not base64), as the
/// queue message.
/// </summary>
public static class BlobCreatedEvent
{
    /// <summary>The event type.</summary>
    public const string EventType = "Microsoft.Storage.BlobCreated";

    /// <summary>The topic of the local storage account (a placeholder subscription and resource group).</summary>
    public static string Topic(string accountName) =>
        $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dmarccloud-local/providers/Microsoft.Storage/storageAccounts/{accountName}";

    /// <summary>The event for one created blob.</summary>
    /// <param name="accountName">The storage account name.</param>
    /// <param name="container">The container.</param>
    /// <param name="blobName">The blob name.</param>
    /// <param name="blobUrl">The blob URL.</param>
    /// <param name="contentType">The blob's content type.</param>
    /// <param name="contentLength">The blob's length in bytes.</param>
    /// <param name="eTag">The blob's ETag.</param>
    /// <param name="eventTime">When the blob was created.</param>
    /// <param name="id">The event id.</param>
    public static JsonObject Build(
        string accountName, string container, string blobName, Uri blobUrl, string? contentType, long contentLength,
        string? eTag, DateTimeOffset eventTime, Guid id)
    {
        ArgumentNullException.ThrowIfNull(blobUrl);
        return new JsonObject
        {
            ["topic"] = Topic(accountName),
            ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
            ["eventType"] = EventType,
            ["id"] = id.ToString(),
            ["data"] = new JsonObject
            {
                ["api"] = "PutBlob",
                ["clientRequestId"] = Guid.NewGuid().ToString(),
                ["requestId"] = Guid.NewGuid().ToString(),
                ["eTag"] = eTag,
                ["contentType"] = contentType ?? "application/octet-stream",
                ["contentLength"] = contentLength,
                ["blobType"] = "BlockBlob",
                ["url"] = blobUrl.AbsoluteUri,
                ["sequencer"] = eventTime.UtcTicks.ToString("x32", CultureInfo.InvariantCulture),
                ["storageDiagnostics"] = new JsonObject { ["batchId"] = Guid.NewGuid().ToString() },
            },
            ["dataVersion"] = "",
            ["metadataVersion"] = "1",
            ["eventTime"] = eventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        };
    }
}
