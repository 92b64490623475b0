using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.LocalHost.Protocol;

/// <summary>
/// Builds the <c>{"Data":{...},"Metadata":{...}}</c> bodies the Azure Functions host POSTs to a custom handler,
/// value by value as the host's <c>ScriptInvocationContextExtensions.GetHttpScriptInvocationContextValue</c> does:
/// <list type="bullet">
/// <item>byte arrays → base64 strings;</item>
/// <item>objects (dictionaries, POCOs such as TimerInfo or <c>sys</c>) → JSON objects;</item>
/// <item>strings → JSON-encoded again (<c>"\"text\""</c>); numbers and booleans → their JSON text as a string (<c>"1"</c>);</item>
/// <item>DateTime values → <c>yyyy-MM-ddTHH:mm:ss</c> (the host round-trips them through <c>ToString()</c>, losing fractions and kind);</item>
/// <item>Metadata keys ending in "trigger" and null values are dropped; <c>sys</c> {MethodName, UtcNow, RandGuid} is always there.</item>
/// </list>
/// </summary>
public static class HostPayloadBuilder
{
    /// <summary>The <c>X-Azure-Functions-HostVersion</c> the runner sends.</summary>
    public const string HostVersion = "4.1040.100.0";

    /// <summary>
    /// How the runner writes JSON on the wire: like Newtonsoft.Json in the host, only quotes, backslashes and
    /// control characters are escaped (System.Text.Json's default would write <c>\u0022</c> for a quote).
    /// </summary>
    public static JsonSerializerOptions WireOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The request body text of <paramref name="payload"/>.</summary>
    public static string ToWire(JsonNode payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload.ToJsonString(WireOptions);
    }

    /// <summary>A string value as the host sends it: JSON-encoded a second time.</summary>
    public static JsonNode EncodeString(string value) => JsonValue.Create(JsonSerializer.Serialize(value, WireOptions))!;

    /// <summary>A number as the host sends it in Metadata: its JSON text as a string.</summary>
    public static JsonNode EncodeNumber(long value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture))!;

    /// <summary>A DateTime as the host sends it in Metadata (second precision, no zone designator).</summary>
    public static JsonNode EncodeDateTime(DateTimeOffset value) =>
        JsonValue.Create(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture))!;

    /// <summary>A DateTime inside a JSON object (Newtonsoft's default ISO form for UTC values).</summary>
    public static string FormatObjectDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The <c>sys</c> binding data object.</summary>
    public static JsonObject SystemData(string functionName, DateTimeOffset utcNow, Guid randGuid) => new()
    {
        ["MethodName"] = functionName,
        ["UtcNow"] = FormatObjectDateTime(utcNow),
        ["RandGuid"] = randGuid.ToString(),
    };

    /// <summary>The request for a serviceBusTrigger invocation.</summary>
    /// <param name="functionName">The function (folder) name.</param>
    /// <param name="bindingName">The trigger binding's <c>name</c>.</param>
    /// <param name="binary">Whether the trigger has <c>dataType: binary</c> (body as base64; else the body text, double-encoded).</param>
    /// <param name="message">The received message.</param>
    /// <param name="utcNow">The invocation time.</param>
    /// <param name="randGuid">The <c>sys.RandGuid</c> value.</param>
    public static JsonObject ServiceBus(
        string functionName, string bindingName, bool binary, ReceivedServiceBusMessage message, DateTimeOffset utcNow, Guid randGuid)
    {
        ArgumentNullException.ThrowIfNull(message);
        var envelope = message.Envelope;
        JsonNode data = binary
            ? JsonValue.Create(Convert.ToBase64String(envelope.Body.Span))!
            : EncodeString(Encoding.UTF8.GetString(envelope.Body.Span));
        var properties = new JsonObject();
        foreach (var (key, value) in envelope.ApplicationProperties)
        {
            properties[key] = value switch
            {
                null => null,
                string s => s,
                bool b => b,
                long l => l,
                double d => d,
                _ => value.ToString(),
            };
        }

        var metadata = new JsonObject
        {
            ["MessageId"] = EncodeString(envelope.MessageId),
            ["DeliveryCount"] = EncodeNumber(message.DeliveryCount),
            ["SequenceNumber"] = EncodeNumber(message.SequenceNumber),
            ["EnqueuedTimeUtc"] = EncodeDateTime(message.EnqueuedTime),
            ["ExpiresAtUtc"] = EncodeDateTime(message.ExpiresAt),
        };
        AddString(metadata, "ContentType", envelope.ContentType);
        AddString(metadata, "CorrelationId", envelope.CorrelationId);
        AddString(metadata, "Subject", envelope.Subject);
        AddString(metadata, "Label", envelope.Subject);
        metadata["ApplicationProperties"] = properties;
        metadata["UserProperties"] = properties.DeepClone();
        metadata["sys"] = SystemData(functionName, utcNow, randGuid);
        return Request(bindingName, data, metadata);
    }

    /// <summary>The request for a timerTrigger invocation (<c>Data.&lt;name&gt;</c> = TimerInfo).</summary>
    public static JsonObject Timer(
        string functionName, string bindingName, TimerScheduleStatus? status, bool isPastDue, DateTimeOffset utcNow, Guid randGuid)
    {
        var timerInfo = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = status is null ? null : new JsonObject
            {
                ["Last"] = FormatObjectDateTime(status.Last),
                ["Next"] = FormatObjectDateTime(status.Next),
                ["LastUpdated"] = FormatObjectDateTime(status.LastUpdated),
            },
            ["IsPastDue"] = isPastDue,
        };
        return Request(bindingName, timerInfo, new JsonObject { ["sys"] = SystemData(functionName, utcNow, randGuid) });
    }

    /// <summary>
    /// The request for an httpTrigger invocation: <c>Data.&lt;name&gt;</c> = {Url, Method, Query, Headers, Params,
    /// Identities, Body} as the host's <c>GetRequestAsJObject</c>; Metadata has Query, Headers and route params.
    /// </summary>
    public static JsonObject Http(
        string functionName,
        string bindingName,
        HttpRequestSnapshot request,
        DateTimeOffset utcNow,
        Guid randGuid)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            query[key] = value;
        }

        var headers = new JsonObject();
        foreach (var (key, values) in request.Headers)
        {
            headers[key] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        var parameters = new JsonObject();
        foreach (var (key, value) in request.RouteValues)
        {
            parameters[key] = value;
        }

        JsonNode? body = null;
        if (request.Body.Length > 0)
        {
            var text = Encoding.UTF8.GetString(request.Body.Span);
            body = TryParseJson(text) ?? JsonValue.Create(text);
        }

        var data = new JsonObject
        {
            ["Url"] = request.Url,
            ["Method"] = request.Method,
            ["Query"] = query,
            ["Headers"] = headers,
            ["Params"] = parameters,
            ["Identities"] = new JsonArray(),
            ["Body"] = body,
        };
        var metadata = new JsonObject
        {
            ["Query"] = query.DeepClone(),
            ["Headers"] = headers.DeepClone(),
        };
        foreach (var (key, value) in request.RouteValues)
        {
            metadata[key] = EncodeString(value);
        }

        metadata["sys"] = SystemData(functionName, utcNow, randGuid);
        return Request(bindingName, data, metadata);
    }

    /// <summary>The request for an admin "run now" of a non-timer function: the input as the trigger value.</summary>
    public static JsonObject AdminInput(string functionName, string bindingName, string input, DateTimeOffset utcNow, Guid randGuid) =>
        Request(bindingName, EncodeString(input), new JsonObject { ["sys"] = SystemData(functionName, utcNow, randGuid) });

    private static JsonObject Request(string bindingName, JsonNode data, JsonObject metadata) => new()
    {
        ["Data"] = new JsonObject { [bindingName] = data },
        ["Metadata"] = metadata,
    };

    private static void AddString(JsonObject metadata, string key, string? value)
    {
        if (value is not null)
        {
            metadata[key] = EncodeString(value);
        }
    }

    private static JsonNode? TryParseJson(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
