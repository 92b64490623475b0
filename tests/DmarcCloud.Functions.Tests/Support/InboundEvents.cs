using System.Text;
using System.Text.Json;

namespace DmarcCloud.Functions.Tests;

/// <summary>Event Grid BlobCreated events (Event Grid schema) as Event Grid writes them to the inbound queue.</summary>
internal static class InboundEvents
{
    public static byte[] BlobCreated(string blobName, string container = "inbound") => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
        ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
        ["eventType"] = "Microsoft.Storage.BlobCreated",
        ["id"] = Guid.NewGuid().ToString(),
        ["data"] = new Dictionary<string, object> { ["api"] = "PutBlob", ["url"] = $"https://st.blob.core.windows.net/{container}/{blobName}" },
        ["dataVersion"] = string.Empty,
        ["metadataVersion"] = "1",
        ["eventTime"] = "2026-11-22T15:04:05Z",
    }));
}
