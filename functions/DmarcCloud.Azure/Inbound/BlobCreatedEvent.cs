using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;

namespace DmarcCloud.Azure.Inbound;

/// <summary>
/// An Event Grid <c>Microsoft.Storage.BlobCreated</c> event as delivered to Storage queue <c>inbound-events</c>:
/// the message body is the event in the Event Grid schema (<c>eventType</c>, <c>subject</c>, <c>data.url</c>)
/// or in the CloudEvents 1.0 schema (<c>type</c>, <c>subject</c>, <c>data.url</c>), possibly as a one-element array.
/// Parsed with <c>Azure.Messaging.EventGrid</c> (<see cref="EventGridEvent"/>, <see cref="CloudEvent"/>).
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

    /// <summary>The largest message body looked at: a Storage queue message holds at most 64 KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Parses a queue message body with <c>Azure.Messaging.EventGrid</c>. Returns null with <paramref name="error"/>
    /// when it is not one BlobCreated event: empty, over <see cref="MaxBodyBytes"/>, invalid UTF-8, not JSON, JSON
    /// with a lone surrogate escape, missing required event fields, another event type, or no blob named.
    /// Never throws for bad input: the caller records it as malformed and completes the message.
    /// </summary>
    public static BlobCreatedEvent? TryParse(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.IsEmpty)
        {
            error = "the message body is empty";
            return null;
        }

        if (body.Length > MaxBodyBytes)
        {
            error = $"the message body is not JSON of an event: {body.Length} bytes, over the {MaxBodyBytes}-byte queue message limit";
            return null;
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            error = "the message body is not JSON: it is not valid UTF-8";
            return null;
        }

        var data = BinaryData.FromBytes(body.ToArray());
        try
        {
            return IsCloudEvent(body) ? FromCloudEvents(CloudEvent.ParseMany(data), out error) : FromEventGridEvents(EventGridEvent.ParseMany(data), out error);
        }
        catch (JsonException ex)
        {
            error = $"the message body is not JSON: {ex.Message}";
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException or NotSupportedException)
        {
            // Missing required fields (ArgumentNullException), a lone surrogate escape (InvalidOperationException
            // from the JSON reader), a field of the wrong JSON type, an unparsable eventTime.
            error = $"the message body is not an Event Grid event: {ex.GetType().Name}: {ex.Message}";
            return null;
        }
    }

    /// <summary>A CloudEvents 1.0 body has <c>specversion</c>; the Event Grid schema has not.</summary>
    private static bool IsCloudEvent(ReadOnlySpan<byte> body) => body.IndexOf("\"specversion\""u8) >= 0;

    private static BlobCreatedEvent? FromEventGridEvents(EventGridEvent[] events, out string? error) =>
        OneEvent(events, out error) is { } e ? From(e.Id, e.EventType, e.Subject, e.TryGetSystemEventData(out var data) ? data : null, out error) : null;

    private static BlobCreatedEvent? FromCloudEvents(CloudEvent[] events, out string? error) =>
        OneEvent(events, out error) is { } e ? From(e.Id, e.Type, e.Subject, e.TryGetSystemEventData(out var data) ? data : null, out error) : null;

    /// <summary>The one event of a body (either schema); a body with none or several is refused with the reason.</summary>
    private static T? OneEvent<T>(T[] events, out string? error)
        where T : class
    {
        error = events.Length switch
        {
            0 => "the message body is not an Event Grid event: it holds no event",
            1 => null,
            _ => $"expected one event, found an array of {events.Length}",
        };
        return error is null ? events[0] : null;
    }

    private static BlobCreatedEvent? From(string? id, string? type, string? subject, object? systemData, out string? error)
    {
        if (string.IsNullOrEmpty(type))
        {
            error = "the event has no eventType/type";
            return null;
        }

        if (!string.Equals(type, BlobCreatedType, StringComparison.Ordinal))
        {
            error = $"unexpected event type '{type}'";
            return null;
        }

        var data = systemData as StorageBlobCreatedEventData;

        // Prefer the subject (/blobServices/default/containers/{container}/blobs/{name}): it names the blob
        // without the account, so the app never follows an address taken from a message.
        (string Container, string Name)? blob = FromSubject(subject) ?? FromUrl(data?.Url);
        if (blob is null)
        {
            error = "the event names no blob (no usable subject or data.url)";
            return null;
        }

        error = null;
        return new BlobCreatedEvent(id ?? string.Empty, type, blob.Value.Container, blob.Value.Name, data?.ETag, data?.ContentLength);
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
}
