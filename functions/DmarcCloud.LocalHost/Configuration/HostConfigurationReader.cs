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

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static async Task<HostConfiguration> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text);
    }

    /// <summary>Parses host.json text.</summary>
    /// <exception cref="FormatException">The text is not a JSON object or a value has the wrong type.</exception>
    public static HostConfiguration Parse(string text)
    {
        using var document = ParseDocument(text, "host.json");
        var root = document.RootElement;
        var config = new HostConfiguration();
        if (Json.TryGet(root, "customHandler", out var handler))
        {
            if (Json.TryGet(handler, "description", out var description))
            {
                config = config with
                {
                    ExecutablePath = Json.GetString(description, "defaultExecutablePath"),
                    WorkingDirectory = Json.GetString(description, "workingDirectory"),
                    Arguments = Json.TryGet(description, "arguments", out var args) && args.ValueKind == JsonValueKind.Array
                        ? [.. args.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText())]
                        : [],
                };
            }

            config = config with { EnableForwardingHttpRequest = Json.GetBool(handler, "enableForwardingHttpRequest") ?? false };
        }

        if (Json.GetString(root, "functionTimeout") is { } timeout)
        {
            config = config with { FunctionTimeout = ParseTimeSpan(timeout, "functionTimeout") };
        }

        if (Json.TryGet(root, "extensions", out var extensions))
        {
            if (Json.TryGet(extensions, "serviceBus", out var serviceBus))
            {
                if (Json.TryGet(serviceBus, "maxConcurrentCalls", out var calls) && calls.TryGetInt32(out var n) && n > 0)
                {
                    config = config with { ServiceBusMaxConcurrentCalls = n };
                }

                if (Json.GetString(serviceBus, "maxAutoLockRenewalDuration") is { } renewal)
                {
                    config = config with { ServiceBusLockDuration = ParseTimeSpan(renewal, "maxAutoLockRenewalDuration") };
                }
            }

            if (Json.TryGet(extensions, "http", out var http) && Json.GetString(http, "routePrefix") is { } prefix)
            {
                config = config with { HttpRoutePrefix = prefix.Trim('/') };
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

    private static TimeSpan ParseTimeSpan(string value, string name) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new FormatException($"host.json {name} '{value}' is not a positive hh:mm:ss time span.");
}
