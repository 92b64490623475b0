using System.Globalization;
using System.Text.Json;

namespace DmarcCloud.LocalServiceBus.Configuration;

/// <summary>
/// Reads the queue configuration file (docs/local-servicebus.md, "Configuration"):
/// <c>{ "queues": { "name": { "maxDeliveryCount": 10, "lockDuration": "00:00:30", ... } } }</c>.
/// Time spans use .NET's constant format (<c>[d.]hh:mm:ss[.fff]</c>). Unknown keys are errors, so a typo
/// cannot silently fall back to a default.
/// </summary>
public static class QueueConfigFile
{
    /// <summary>Reads the file at <paramref name="path"/> into a list of queues.</summary>
    public static async Task<IReadOnlyList<QueueOptions>> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(json);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses the configuration text.</summary>
    /// <exception cref="FormatException">The text is not a valid configuration; the message says where.</exception>
    public static IReadOnlyList<QueueOptions> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("queues", out var queues) || queues.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("expected an object with a \"queues\" object (queue name → settings).");
            }

            var result = new List<QueueOptions>();
            foreach (var entry in queues.EnumerateObject())
            {
                var queue = new QueueOptions(entry.Name);
                if (entry.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"queue '{entry.Name}': expected an object of settings.");
                }

                foreach (var setting in entry.Value.EnumerateObject())
                {
                    Apply(queue, setting);
                }

                try
                {
                    queue.Validate();
                }
                catch (ArgumentException ex)
                {
                    throw new FormatException(ex.Message, ex);
                }

                result.Add(queue);
            }

            return result;
        }
    }

    static void Apply(QueueOptions queue, JsonProperty setting)
    {
        switch (setting.Name.ToLowerInvariant())
        {
            case "maxdeliverycount":
                queue.MaxDeliveryCount = ReadInt(queue, setting);
                break;
            case "lockduration":
                queue.LockDuration = ReadTimeSpan(queue, setting) ?? throw Error(queue, setting, "must not be null");
                break;
            case "defaultmessagetimetolive":
                queue.DefaultMessageTimeToLive = ReadTimeSpan(queue, setting);
                break;
            case "deadletteringonmessageexpiration":
                queue.DeadLetteringOnMessageExpiration = setting.Value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Error(queue, setting, "expected true or false"),
                };
                break;
            case "duplicatedetectionhistorytimewindow":
                queue.DuplicateDetectionHistoryTimeWindow = ReadTimeSpan(queue, setting);
                break;
            case "maxmessagesizeinbytes":
                queue.MaxMessageSizeInBytes = ReadInt(queue, setting);
                break;
            default:
                throw Error(queue, setting, "unknown setting");
        }
    }

    static int ReadInt(QueueOptions queue, JsonProperty setting) =>
        setting.Value.ValueKind == JsonValueKind.Number && setting.Value.TryGetInt32(out var value)
            ? value
            : throw Error(queue, setting, "expected an integer");

    static TimeSpan? ReadTimeSpan(QueueOptions queue, JsonProperty setting)
    {
        if (setting.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (setting.Value.ValueKind == JsonValueKind.String
            && TimeSpan.TryParseExact(setting.Value.GetString(), "c", CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw Error(queue, setting, "expected a time span like \"00:00:30\" or \"14.00:00:00\"");
    }

    static FormatException Error(QueueOptions queue, JsonProperty setting, string problem) =>
        new($"queue '{queue.Name}', setting '{setting.Name}': {problem}.");
}
