using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DmarcCloud.LocalHost.Rpc;
using Google.Protobuf;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>
/// Builds the InvocationRequests the local host sends, in one place: our reading of what the Functions host
/// sends for each trigger (../shared/notes/isolated-worker-host-protocol.md, "Payloads that worked").
/// </summary>
public static class InvocationPayloads
{
    /// <summary>An HTTP request as the HTTP trigger's input (RpcHttp with nullable headers/query/params and a bytes body).</summary>
    /// <param name="triggerName">The trigger binding's name.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">The full request URL.</param>
    /// <param name="headers">The request headers (repeated headers joined with ", ").</param>
    /// <param name="query">The query values.</param>
    /// <param name="routeValues">The route values.</param>
    /// <param name="body">The body.</param>
    internal static InvocationRequest Http(
        string triggerName, string method, Uri url, IReadOnlyDictionary<string, string> headers,
        IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> routeValues, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(routeValues);
        var http = new RpcHttp
        {
            Method = method,
            Url = url.AbsoluteUri,
            Body = new TypedData { Bytes = ByteString.CopyFrom(body.Span) },
        };
        foreach (var (name, value) in headers)
        {
            http.NullableHeaders[name] = new NullableString { Value = value };
        }

        foreach (var (name, value) in query)
        {
            http.NullableQuery[name] = new NullableString { Value = value };
        }

        foreach (var (name, value) in routeValues)
        {
            http.NullableParams[name] = new NullableString { Value = value };
        }

        var request = NewRequest(triggerName, new TypedData { Http = http });
        foreach (var (name, value) in routeValues)
        {
            request.TriggerMetadata[name] = new TypedData { String = value };
        }

        request.TriggerMetadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(query) };
        request.TriggerMetadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(headers) };
        return request;
    }

    /// <summary>A timer tick: TimerInfo as JSON {Schedule, ScheduleStatus, IsPastDue}.</summary>
    internal static InvocationRequest Timer(string triggerName, TimerScheduleStatus? status, bool isPastDue)
    {
        var info = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = status is null ? null : new JsonObject
            {
                ["Last"] = FormatTime(status.Last),
                ["Next"] = FormatTime(status.Next),
                ["LastUpdated"] = FormatTime(status.LastUpdated),
            },
            ["IsPastDue"] = isPastDue,
        };
        return NewRequest(triggerName, new TypedData { Json = info.ToJsonString() });
    }

    /// <summary>
    /// A queue message as the queue trigger's input: the decoded text (string, or bytes for a binary
    /// parameter) with the queue trigger's binding data (Id, DequeueCount, InsertionTime, ExpirationTime,
    /// NextVisibleTime, PopReceipt, QueueTrigger).
    /// </summary>
    internal static InvocationRequest Queue(string triggerName, string? dataType, QueueDelivery message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = string.Equals(dataType, "binary", StringComparison.OrdinalIgnoreCase)
            ? new TypedData { Bytes = ByteString.CopyFrom(message.Body) }
            : new TypedData { String = Encoding.UTF8.GetString(message.Body) };
        var request = NewRequest(triggerName, data);
        var metadata = request.TriggerMetadata;
        metadata["QueueTrigger"] = new TypedData { String = Encoding.UTF8.GetString(message.Body) };
        metadata["Id"] = new TypedData { String = message.Id };
        metadata["PopReceipt"] = new TypedData { String = message.PopReceipt };
        metadata["DequeueCount"] = new TypedData { Json = message.DequeueCount.ToString(CultureInfo.InvariantCulture) }; // the worker converts no TypedData.int in metadata
        if (message.InsertedOn is { } inserted)
        {
            metadata["InsertionTime"] = new TypedData { Json = JsonSerializer.Serialize(inserted) };
        }

        if (message.ExpiresOn is { } expires)
        {
            metadata["ExpirationTime"] = new TypedData { Json = JsonSerializer.Serialize(expires) };
        }

        if (message.NextVisibleOn is { } next)
        {
            metadata["NextVisibleTime"] = new TypedData { Json = JsonSerializer.Serialize(next) };
        }

        return request;
    }

    /// <summary>The timestamp format of TimerInfo's ScheduleStatus.</summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'+00:00'", CultureInfo.InvariantCulture);

    private static InvocationRequest NewRequest(string triggerName, TypedData data)
    {
        var invocationId = Guid.NewGuid();
        var request = new InvocationRequest
        {
            InvocationId = invocationId.ToString(),
            TraceContext = new RpcTraceContext
            {
                TraceParent = $"00-{invocationId:N}-{Guid.NewGuid().ToString("N")[..16]}-01",
                TraceState = "",
            },
        };
        request.InputData.Add(new ParameterBinding { Name = triggerName, Data = data });
        request.TriggerMetadata["sys"] = new TypedData
        {
            Json = new JsonObject
            {
                ["MethodName"] = triggerName,
                ["UtcNow"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                ["RandGuid"] = Guid.NewGuid().ToString(),
            }.ToJsonString(),
        };
        return request;
    }
}
