using System.Text;
using System.Text.Json;

namespace DmarcCloud.Functions.Tests;

/// <summary>Host payload fixtures (TestData/payloads) and payloads built in the same shape.</summary>
internal static class Payloads
{
    public static string Read(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "payloads", file));

    /// <summary>A serviceBusTrigger payload (dataType binary) in the host's shape, carrying <paramref name="body"/>.</summary>
    public static string ServiceBus(byte[] body, long deliveryCount, string messageId)
    {
        var template = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Read("servicebus-blobcreated.json"))!;
        var metadata = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(template["Metadata"].GetRawText())!;
        metadata["DeliveryCount"] = JsonSerializer.SerializeToElement(deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        metadata["MessageId"] = JsonSerializer.SerializeToElement(JsonSerializer.Serialize(messageId));
        var payload = new Dictionary<string, object>
        {
            ["Data"] = new Dictionary<string, string> { ["message"] = Convert.ToBase64String(body) },
            ["Metadata"] = metadata,
        };
        return JsonSerializer.Serialize(payload);
    }

    /// <summary>An Event Grid BlobCreated event (Event Grid schema) for <c>inbound/<paramref name="blobName"/></c>.</summary>
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
