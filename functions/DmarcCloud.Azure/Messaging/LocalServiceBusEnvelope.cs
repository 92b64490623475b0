using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DmarcCloud.Azure.Messaging;

/// <summary>
/// How one Service Bus message travels through an Azurite queue when DmarcCloud runs locally
/// (<c>DmarcCloud.LocalHost</c> plays Service Bus with Azurite queues of the same name).
/// </summary>
/// <remarks>
/// The Azurite queue message text (plain text, <c>QueueMessageEncoding.None</c>) is one JSON object:
/// <code>
/// {"body":"&lt;base64 bytes&gt;","messageId":"...","contentType":"application/json","subject":"...",
///  "correlationId":"...","applicationProperties":{"k":"v","n":1,"b":true},
///  "deadLetterReason":"...","deadLetterErrorDescription":"..."}
/// </code>
/// Only <c>body</c> is required; <c>messageId</c> defaults to a new GUID when a message without one is
/// received. <c>deadLetterReason</c> and <c>deadLetterErrorDescription</c> are set only on messages in a
/// <c>&lt;queue&gt;-deadletter</c> queue. <c>DeliveryCount</c> is the Azurite dequeue count and
/// <c>EnqueuedTimeUtc</c> the Azurite insertion time, so neither is stored here.
/// Application property values are strings, booleans, integers (<see cref="long"/>), or doubles.
/// Azure Storage queue messages are limited to 64 KiB of text, so bodies stay small (events, verdicts):
/// mail itself travels as a blob.
/// </remarks>
public sealed record LocalServiceBusEnvelope
{
    /// <summary>The message body bytes.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The Service Bus MessageId (used for idempotency by receivers).</summary>
    public string MessageId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>The Service Bus ContentType, e.g. <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>The Service Bus Subject (formerly Label).</summary>
    public string? Subject { get; init; }

    /// <summary>The Service Bus CorrelationId.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Application properties: string, bool, long or double values.</summary>
    public IReadOnlyDictionary<string, object?> ApplicationProperties { get; init; } = new Dictionary<string, object?>();

    /// <summary>Why the message was dead-lettered (dead-letter queue only).</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>The error text that led to dead-lettering (dead-letter queue only).</summary>
    public string? DeadLetterErrorDescription { get; init; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>An envelope whose body is <paramref name="text"/> as UTF-8.</summary>
    public static LocalServiceBusEnvelope FromText(string text, string? contentType = null, string? messageId = null) =>
        new()
        {
            Body = Encoding.UTF8.GetBytes(text),
            ContentType = contentType,
            MessageId = messageId ?? Guid.NewGuid().ToString("N"),
        };

    /// <summary>The Azurite queue message text for this envelope.</summary>
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBase64String("body", Body.Span);
            writer.WriteString("messageId", MessageId);
            WriteOptional(writer, "contentType", ContentType);
            WriteOptional(writer, "subject", Subject);
            WriteOptional(writer, "correlationId", CorrelationId);
            if (ApplicationProperties.Count > 0)
            {
                writer.WriteStartObject("applicationProperties");
                foreach (var (key, value) in ApplicationProperties)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, value);
                }

                writer.WriteEndObject();
            }

            WriteOptional(writer, "deadLetterReason", DeadLetterReason);
            WriteOptional(writer, "deadLetterErrorDescription", DeadLetterErrorDescription);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads an Azurite queue message text written by <see cref="Encode"/>.</summary>
    /// <exception cref="FormatException">The text is not an envelope (not JSON, or no base64 <c>body</c>).</exception>
    public static LocalServiceBusEnvelope Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a local Service Bus envelope (not JSON): {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("body", out var body)
                || body.ValueKind != JsonValueKind.String
                || !body.TryGetBytesFromBase64(out var bytes))
            {
                throw new FormatException("Not a local Service Bus envelope: no base64 \"body\".");
            }

            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (root.TryGetProperty("applicationProperties", out var props) && props.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in props.EnumerateObject())
                {
                    properties[property.Name] = ReadValue(property.Value);
                }
            }

            return new LocalServiceBusEnvelope
            {
                Body = bytes,
                MessageId = ReadString(root, "messageId") ?? Guid.NewGuid().ToString("N"),
                ContentType = ReadString(root, "contentType"),
                Subject = ReadString(root, "subject"),
                CorrelationId = ReadString(root, "correlationId"),
                ApplicationProperties = properties,
                DeadLetterReason = ReadString(root, "deadLetterReason"),
                DeadLetterErrorDescription = ReadString(root, "deadLetterErrorDescription"),
            };
        }
    }

    /// <summary>The name of the dead-letter queue of <paramref name="queueName"/> (<c>&lt;queue&gt;-deadletter</c>).</summary>
    public static string DeadLetterQueueName(string queueName) => queueName + "-deadletter";

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case DateTimeOffset t: writer.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture)); break;
            case IFormattable f: writer.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static object? ReadValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
