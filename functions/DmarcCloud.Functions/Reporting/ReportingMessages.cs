using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DmarcCloud.Functions.Reporting;

/// <summary>Reads a reporting queue message body; null when it is not the expected JSON.</summary>
internal static class ReportingMessages
{
    public static T? Read<T>(byte[]? body, JsonTypeInfo<T> type)
        where T : class
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
