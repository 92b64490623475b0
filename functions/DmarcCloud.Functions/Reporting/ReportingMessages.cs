using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DmarcCloud.Functions.Reporting;

/// <summary>Reads a reporting queue message body; null when it is not the expected JSON.</summary>
internal static class ReportingMessages
{
    public static T? Read<T>(BinaryData? body, JsonTypeInfo<T> type)
        where T : class
    {
        if (body is null || body.ToMemory().IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body.ToMemory().Span, type);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
