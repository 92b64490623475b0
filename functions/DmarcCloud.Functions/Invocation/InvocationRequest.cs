using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DmarcCloud.Functions.Invocation;

/// <summary>
/// One call from the Functions host: <c>POST /{FunctionName}</c> with <c>{"Data": {...}, "Metadata": {...}}</c>.
/// Values are read leniently because the host encodes them loosely: strings arrive JSON-encoded twice
/// (<c>"\"text\""</c>), numbers arrive as strings (<c>"DeliveryCount": "1"</c>), binary data as base64, and
/// objects sometimes as a string holding JSON. Keys are matched case-insensitively.
/// </summary>
internal sealed class InvocationRequest
{
    private const int MaxUnwrapDepth = 4;

    private readonly Dictionary<string, JsonElement> _data;
    private readonly Dictionary<string, JsonElement> _metadata;

    private InvocationRequest(Dictionary<string, JsonElement> data, Dictionary<string, JsonElement> metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <summary>The names present in <c>Data</c>.</summary>
    public IReadOnlyCollection<string> DataNames => _data.Keys;

    /// <summary>The names present in <c>Metadata</c>.</summary>
    public IReadOnlyCollection<string> MetadataNames => _metadata.Keys;

    /// <summary>Reads a request body. A body that is not a JSON object is a <see cref="JsonException"/>.</summary>
    public static async Task<InvocationRequest> ReadAsync(Stream body, CancellationToken cancellationToken = default)
    {
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        return FromElement(document.RootElement);
    }

    /// <summary>Parses a request from its JSON text.</summary>
    public static InvocationRequest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement);
    }

    private static InvocationRequest FromElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"An invocation request is a JSON object, not {root.ValueKind}.");
        }

        var data = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        var metadata = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            var target = property.Name.Equals("Data", StringComparison.OrdinalIgnoreCase) ? data
                : property.Name.Equals("Metadata", StringComparison.OrdinalIgnoreCase) ? metadata
                : null;
            if (target is null)
            {
                continue;
            }

            var section = Unwrap(property.Value);
            if (section.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var item in section.EnumerateObject())
            {
                target[item.Name] = item.Value.Clone();
            }
        }

        return new InvocationRequest(data, metadata);
    }

    /// <summary>The raw bytes of a data item: base64 decoded (dataType binary), else the UTF-8 of a string, else the JSON text.</summary>
    public byte[]? GetDataBytes(string name)
    {
        if (!_data.TryGetValue(name, out var raw))
        {
            return null;
        }

        var value = Unwrap(raw);
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.String:
                var text = value.GetString()!;
                return TryFromBase64(text) ?? Encoding.UTF8.GetBytes(text);
            default:
                return Encoding.UTF8.GetBytes(value.GetRawText());
        }
    }

    /// <summary>A data item as a JSON value (a string holding JSON is parsed), or null when absent.</summary>
    public JsonElement? GetData(string name) => _data.TryGetValue(name, out var raw) ? UnwrapJson(raw) : null;

    /// <summary>A metadata item as a JSON value (a string holding a JSON object or array is parsed), or null when absent.</summary>
    public JsonElement? GetMetadata(string name) => _metadata.TryGetValue(name, out var raw) ? UnwrapJson(raw) : null;

    /// <summary>A metadata item as text: strings decoded (twice if need be), numbers and booleans as written.</summary>
    public string? GetMetadataString(string name) => _metadata.TryGetValue(name, out var raw) ? AsString(raw) : null;

    /// <summary>A metadata item as an integer, whether sent as a number or as a numeric string.</summary>
    public long? GetMetadataInt64(string name) => _metadata.TryGetValue(name, out var raw) ? AsInt64(raw) : null;

    /// <summary>A metadata item as a point in time (ISO 8601), or null when absent or unreadable.</summary>
    public DateTimeOffset? GetMetadataDateTime(string name) =>
        GetMetadataString(name) is { } text &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    /// <summary>A value as text: strings decoded (twice if need be), numbers and booleans as written, objects as JSON.</summary>
    public static string? AsString(JsonElement raw)
    {
        var value = Unwrap(raw);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.GetRawText(),
        };
    }

    /// <summary>A value as an integer, whether a JSON number or a numeric string.</summary>
    public static long? AsInt64(JsonElement raw)
    {
        var value = Unwrap(raw);
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
    }

    /// <summary>
    /// Removes the host's extra layers of string encoding: a JSON string whose content is itself a JSON
    /// string literal (<c>"\"text\""</c>) is decoded again, up to a few times.
    /// </summary>
    public static JsonElement Unwrap(JsonElement value)
    {
        for (var depth = 0; depth < MaxUnwrapDepth && value.ValueKind == JsonValueKind.String; depth++)
        {
            var text = value.GetString()!;
            if (text.Length < 2 || text[0] != '"' || text[^1] != '"' || !TryParse(text, out var inner) || inner.ValueKind != JsonValueKind.String)
            {
                break;
            }

            value = inner;
        }

        return value;
    }

    /// <summary><see cref="Unwrap"/>, then a string that holds a JSON object or array is parsed.</summary>
    public static JsonElement UnwrapJson(JsonElement value)
    {
        value = Unwrap(value);
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!.Trim();
            if (text.Length >= 2 && (text[0] == '{' || text[0] == '[') && TryParse(text, out var inner))
            {
                return inner;
            }
        }

        return value;
    }

    private static bool TryParse(string text, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    private static byte[]? TryFromBase64(string text)
    {
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return text.Length == 0 ? [] : null;
        }

        var buffer = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
