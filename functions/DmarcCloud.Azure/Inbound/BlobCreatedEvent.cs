using System.Text.Json;

namespace DmarcCloud.Azure.Inbound;

/// <summary>
/// An Event Grid <c>Microsoft.Storage.BlobCreated</c> event as delivered to Service Bus queue <c>inbound-mail</c>:
/// the message body is the event in the Event Grid schema (<c>eventType</c>, <c>subject</c>, <c>data.url</c>)
/// or in the CloudEvents 1.0 schema (<c>type</c>, <c>subject</c>, <c>data.url</c>), possibly as a one-element array.
/// </summary>
/// <param name="Id">The event id.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Container">The blob's container.</param>
/// <param name="BlobName">The blob's name within the container.</param>
/// <param name="ETag">The blob's ETag at creation, if given.</param>
/// <param name="ContentLength">The blob's size in bytes, if given.</param>
public sealed record BlobCreatedEvent(string Id, string EventType, string Container, string BlobName, string? ETag, long? ContentLength)
{
    /// <summary>The BlobCreated event type.</summary>
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";

    /// <summary><c>container/name</c>.</summary>
    public string Path => $"{Container}/{BlobName}";

    /// <summary>Parses a Service Bus message body. Returns null with <paramref name="error"/> when it is not a blob event.</summary>
    public static BlobCreatedEvent? TryParse(ReadOnlySpan<byte> body, out string? error)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                error = "the message body is empty";
                return null;
            }

            document = parsed;
        }
        catch (JsonException ex)
        {
            error = $"the message body is not JSON: {ex.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                if (root.GetArrayLength() != 1)
                {
                    error = $"expected one event, found an array of {root.GetArrayLength()}";
                    return null;
                }

                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"the event is a JSON {root.ValueKind}, not an object";
                return null;
            }

            return FromEvent(root, out error);
        }
    }

    private static BlobCreatedEvent? FromEvent(JsonElement root, out string? error)
    {
        var type = GetString(root, "eventType") ?? GetString(root, "type");
        var id = GetString(root, "id") ?? string.Empty;
        if (type is null)
        {
            error = "the event has no eventType/type";
            return null;
        }

        if (!string.Equals(type, BlobCreatedType, StringComparison.Ordinal))
        {
            error = $"unexpected event type '{type}'";
            return null;
        }

        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var subject = GetString(root, "subject");
        var url = data.ValueKind == JsonValueKind.Object ? GetString(data, "url") : null;

        // Prefer the subject (/blobServices/default/containers/{container}/blobs/{name}): it names the blob
        // without the account, so the handler never follows an address taken from a message.
        (string Container, string Name)? blob = FromSubject(subject) ?? FromUrl(url);
        if (blob is null)
        {
            error = "the event names no blob (no usable subject or data.url)";
            return null;
        }

        long? length = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("contentLength", out var cl) && cl.ValueKind == JsonValueKind.Number && cl.TryGetInt64(out var n) ? n : null;
        var etag = data.ValueKind == JsonValueKind.Object ? GetString(data, "eTag") ?? GetString(data, "etag") : null;
        error = null;
        return new BlobCreatedEvent(id, type, blob.Value.Container, blob.Value.Name, etag, length);
    }

    private static (string, string)? FromSubject(string? subject)
    {
        const string prefix = "/blobServices/default/containers/";
        if (subject is null || !subject.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = subject[prefix.Length..];
        var marker = rest.IndexOf("/blobs/", StringComparison.Ordinal);
        return marker <= 0 || marker + 7 >= rest.Length ? null : (rest[..marker], rest[(marker + 7)..]);
    }

    private static (string, string)? FromUrl(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        // https://{account}.blob.core.windows.net/{container}/{name}, or path-style (Azurite):
        // http://127.0.0.1:10000/{account}/{container}/{name}.
        var segments = uri.AbsolutePath.TrimStart('/').Split('/', 3);
        var pathStyle = uri.IsLoopback || System.Net.IPAddress.TryParse(uri.Host, out _);
        var start = pathStyle ? 1 : 0;
        if (segments.Length < start + 2)
        {
            return null;
        }

        var container = segments[start];
        var name = pathStyle ? (segments.Length == 3 ? segments[2] : null) : string.Join('/', segments[(start + 1)..]);
        return string.IsNullOrEmpty(name) ? null : (container, Uri.UnescapeDataString(name));
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
