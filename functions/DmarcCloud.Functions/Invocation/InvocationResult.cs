using System.Text.Json;
using System.Text.Json.Nodes;

namespace DmarcCloud.Functions.Invocation;

/// <summary>
/// What a function hands back to the host: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>, and the
/// HTTP status that tells the host whether the invocation succeeded (2xx) or failed (anything else: the host
/// writes no outputs, and Service Bus redelivers the trigger message).
/// </summary>
internal sealed class InvocationResult
{
    private readonly Dictionary<string, JsonNode?> _outputs = new(StringComparer.Ordinal);
    private readonly List<string> _logs = [];

    /// <summary>The HTTP status returned to the host; 200 unless the invocation must fail.</summary>
    public int StatusCode { get; private set; } = StatusCodes.Status200OK;

    /// <summary>The output binding values, by binding name.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Outputs => _outputs;

    /// <summary>The lines the host logs for this invocation.</summary>
    public IReadOnlyList<string> Logs => _logs;

    /// <summary>The <c>$return</c> binding value.</summary>
    public JsonNode? ReturnValue { get; set; }

    /// <summary>A failed invocation: the host writes no outputs and the trigger is retried.</summary>
    public static InvocationResult Failed(int statusCode, string reason)
    {
        var result = new InvocationResult { StatusCode = statusCode };
        result.Log(reason);
        return result;
    }

    /// <summary>Adds a log line.</summary>
    public InvocationResult Log(string line)
    {
        _logs.Add(line);
        return this;
    }

    /// <summary>
    /// Sets a queue or Service Bus output to <paramref name="messages"/>, one message each. Always an array of
    /// strings: the host would try to base64-decode a lone top-level string.
    /// </summary>
    public InvocationResult SetMessages(string binding, IEnumerable<string> messages)
    {
        var array = new JsonArray();
        foreach (var message in messages)
        {
            array.Add((JsonNode?)JsonValue.Create(message));
        }

        _outputs[binding] = array;
        return this;
    }

    /// <summary>Sets an output binding to any JSON value (an HTTP response object, table entities, …).</summary>
    public InvocationResult SetOutput(string binding, JsonNode? value)
    {
        _outputs[binding] = value;
        return this;
    }

    /// <summary>Writes the response body. Never empty: an empty 2xx body would leave the host waiting for its timeout.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("Outputs");
        writer.WriteStartObject();
        foreach (var (name, value) in _outputs)
        {
            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.WritePropertyName("Logs");
        writer.WriteStartArray();
        foreach (var line in _logs)
        {
            writer.WriteStringValue(line);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("ReturnValue");
        if (ReturnValue is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            ReturnValue.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes the status and the JSON body to an HTTP response.</summary>
    public async Task WriteToAsync(HttpResponse response, CancellationToken cancellationToken = default)
    {
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.Body))
        {
            WriteTo(writer);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
