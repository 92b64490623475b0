using System.Globalization;
using System.Text.Json;

namespace DmarcCloud.LocalHost.Configuration;

/// <summary>Reads <c>host.json</c> (comments and trailing commas allowed, property names case-insensitive like the host).</summary>
public static class HostConfigurationReader
{
    internal static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads the file at <paramref name="path"/>; a missing file gives the defaults.</summary>
    public static async Task<HostConfiguration> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        File.Exists(path) ? Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)) : new HostConfiguration();

    /// <summary>Parses host.json text.</summary>
    /// <exception cref="FormatException">The text is not a JSON object or a value has the wrong type.</exception>
    public static HostConfiguration Parse(string text)
    {
        using var document = ParseDocument(text, "host.json");
        var root = document.RootElement;
        var config = new HostConfiguration();
        if (Json.GetString(root, "functionTimeout") is { } timeout)
        {
            config = config with { FunctionTimeout = ParseTimeSpan(timeout, "functionTimeout", allowZero: false) };
        }

        if (Json.TryGet(root, "extensions", out var extensions))
        {
            if (Json.TryGet(extensions, "http", out var http) && Json.GetString(http, "routePrefix") is { } prefix)
            {
                config = config with { HttpRoutePrefix = prefix.Trim('/') };
            }

            if (Json.TryGet(extensions, "queues", out var queues))
            {
                config = config with { Queues = ParseQueues(queues) };
            }
        }

        return config;
    }

    internal static JsonDocument ParseDocument(string text, string what)
    {
        try
        {
            var document = JsonDocument.Parse(text, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new FormatException($"{what} is not a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{what} is not valid JSON: {e.Message}", e);
        }
    }

    private static QueueTriggerSettings ParseQueues(JsonElement queues)
    {
        var settings = new QueueTriggerSettings();
        if (GetInt(queues, "batchSize") is { } batch)
        {
            settings = settings with { BatchSize = batch is >= 1 and <= 32 ? batch : throw new FormatException($"host.json extensions.queues.batchSize {batch} is outside 1–32.") };
        }

        if (GetInt(queues, "newBatchThreshold") is { } threshold)
        {
            settings = settings with { NewBatchThreshold = threshold >= 0 ? threshold : throw new FormatException("host.json extensions.queues.newBatchThreshold is negative.") };
        }

        if (GetInt(queues, "maxDequeueCount") is { } dequeue)
        {
            settings = settings with { MaxDequeueCount = dequeue >= 1 ? dequeue : throw new FormatException("host.json extensions.queues.maxDequeueCount must be at least 1.") };
        }

        if (Json.GetString(queues, "visibilityTimeout") is { } visibility)
        {
            settings = settings with { VisibilityTimeout = ParseTimeSpan(visibility, "extensions.queues.visibilityTimeout", allowZero: true) };
        }

        if (Json.GetString(queues, "maxPollingInterval") is { } polling)
        {
            settings = settings with { MaxPollingInterval = ParseTimeSpan(polling, "extensions.queues.maxPollingInterval", allowZero: false) };
        }

        if (Json.GetString(queues, "messageEncoding") is { } encoding)
        {
            settings = settings with
            {
                Base64 = encoding.ToUpperInvariant() switch
                {
                    "BASE64" => true,
                    "NONE" => false,
                    _ => throw new FormatException($"host.json extensions.queues.messageEncoding '{encoding}' is neither base64 nor none."),
                },
            };
        }

        return settings;
    }

    private static int? GetInt(JsonElement element, string name) =>
        Json.TryGet(element, name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new FormatException($"host.json {name} is not an integer."),
        } : null;

    private static TimeSpan ParseTimeSpan(string value, string name, bool allowZero) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && (span > TimeSpan.Zero || (allowZero && span == TimeSpan.Zero))
            ? span
            : throw new FormatException($"host.json {name} '{value}' is not a {(allowZero ? "non-negative" : "positive")} hh:mm:ss time span.");
}
