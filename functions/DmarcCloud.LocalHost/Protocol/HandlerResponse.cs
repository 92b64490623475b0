using System.Text;
using System.Text.Json;

namespace DmarcCloud.LocalHost.Protocol;

/// <summary>A custom handler's answer: <c>{"Outputs":{...},"Logs":[...],"ReturnValue":...}</c>.</summary>
public sealed class HandlerResponse
{
    private HandlerResponse(IReadOnlyDictionary<string, JsonElement> outputs, IReadOnlyList<string> logs, JsonElement? returnValue)
    {
        Outputs = outputs;
        Logs = logs;
        ReturnValue = returnValue;
    }

    /// <summary>Output values by binding name (case-insensitive, as the host matches them).</summary>
    public IReadOnlyDictionary<string, JsonElement> Outputs { get; }

    /// <summary>Log lines the host would log for the function.</summary>
    public IReadOnlyList<string> Logs { get; }

    /// <summary>The ReturnValue (for a <c>$return</c> binding), or null.</summary>
    public JsonElement? ReturnValue { get; }

    /// <summary>
    /// Parses a 2xx body. An empty body is a protocol error: the real host never completes such an
    /// invocation (it waits for functionTimeout), so the runner reports it and fails the invocation.
    /// </summary>
    public static ParseOutcome Parse(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ParseOutcome(null, "the handler answered 2xx with an empty body; the Functions host would wait for functionTimeout and never complete the invocation (return at least {\"Outputs\":{},\"Logs\":[],\"ReturnValue\":null})");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return new ParseOutcome(null, $"the handler answered 2xx with a body that is not JSON ({e.Message}); the Functions host fails such an invocation");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ParseOutcome(null, $"the handler answered 2xx with JSON {root.ValueKind}, not an object with Outputs/Logs/ReturnValue");
            }

            var outputs = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            var logs = new List<string>();
            JsonElement? returnValue = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("Outputs") || string.Equals(property.Name, "outputs", StringComparison.OrdinalIgnoreCase))
                {
                    if (property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var output in property.Value.EnumerateObject())
                        {
                            outputs[output.Name] = output.Value.Clone();
                        }
                    }
                    else if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        return new ParseOutcome(null, "Outputs is not a JSON object");
                    }
                }
                else if (string.Equals(property.Name, "Logs", StringComparison.OrdinalIgnoreCase))
                {
                    if (property.Value.ValueKind == JsonValueKind.Array)
                    {
                        logs.AddRange(property.Value.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : l.GetRawText()));
                    }
                }
                else if (string.Equals(property.Name, "ReturnValue", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
                {
                    returnValue = property.Value.Clone();
                }
            }

            return new ParseOutcome(new HandlerResponse(outputs, logs, returnValue), null);
        }
    }

    /// <summary>The result of <see cref="Parse"/>: a response, or the protocol error.</summary>
    /// <param name="Response">The response when the body was valid.</param>
    /// <param name="ProtocolError">Why the body was rejected.</param>
    public sealed record ParseOutcome(HandlerResponse? Response, string? ProtocolError);
}
