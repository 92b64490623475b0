using System.Text.Json;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>Writes received reports as the normalised JSON objects (see <see cref="ReportJsonContext"/>).</summary>
public static class ReportJson
{
    /// <summary>Writes one item: the report object, or <c>{"error": reason, "origin": …}</c> for a rejected one.</summary>
    public static void Write(Utf8JsonWriter writer, ReceivedReport item, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(item);
        if (item.Aggregate is { } aggregate)
        {
            JsonSerializer.Serialize(writer, aggregate, ReportJsonContext.Default.AggregateReport);
        }
        else if (item.Failure is { } failure)
        {
            JsonSerializer.Serialize(writer, failure, ReportJsonContext.Default.FailureReport);
        }
        else
        {
            WriteError(writer, item.Error ?? "unreadable", file, item.Origin);
        }
    }

    /// <summary>Writes <c>{"error": reason}</c> with the file and origin when known.</summary>
    public static void WriteError(Utf8JsonWriter writer, string reason, string? file = null, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("error", reason);
        if (file is not null)
        {
            writer.WriteString("file", file);
        }

        if (origin is not null)
        {
            writer.WriteString("origin", origin);
        }

        writer.WriteEndObject();
    }

    /// <summary>One aggregate report as a JSON string.</summary>
    public static string Serialize(AggregateReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.AggregateReport);

    /// <summary>One failure report as a JSON string.</summary>
    public static string Serialize(FailureReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.FailureReport);
}
