using System.Globalization;
using System.Text;
using System.Text.Json;
using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace DmarcCloud.LocalHost.Hosting;

/// <summary>HTTP trigger plumbing: request snapshot, the <c>res</c> output back to the client, and as-is forwarding.</summary>
internal static class HttpForwarder
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    public static async Task<HttpRequestSnapshot> SnapshotAsync(HttpRequest request, IReadOnlyDictionary<string, string> routeValues)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return new HttpRequestSnapshot
        {
            Url = request.GetDisplayUrl(),
            Method = request.Method,
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Headers = request.Headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)[.. h.Value.Select(v => v ?? "")], StringComparer.OrdinalIgnoreCase),
            RouteValues = routeValues,
            Body = body.ToArray(),
        };
    }

    /// <summary>Writes the http output (<c>{statusCode, body, headers}</c>) of an invocation, or 500 when it failed.</summary>
    public static async Task WriteResponseAsync(HttpContext context, FunctionMetadata function, InvocationResult result)
    {
        if (result.Response is not { } response)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync(result.Error ?? "invocation failed", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var binding = function.Outputs.FirstOrDefault(b => b.Type.Equals("http", StringComparison.OrdinalIgnoreCase));
        JsonElement? value = binding is null ? null
            : binding.Name == "$return" ? response.ReturnValue
            : response.Outputs.TryGetValue(binding.Name, out var output) ? output : null;
        if (value is not { ValueKind: JsonValueKind.Object } res)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        context.Response.StatusCode = ReadStatus(res);
        if (Json.TryGet(res, "headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                context.Response.Headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText();
            }
        }

        if (Json.TryGet(res, "body", out var body) && body.ValueKind != JsonValueKind.Null)
        {
            var text = body.ValueKind == JsonValueKind.String ? body.GetString()! : body.GetRawText();
            await context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>enableForwardingHttpRequest: the request goes to the handler as-is (same path and query).</summary>
    public static async Task ForwardAsync(HttpContext context, HttpClient client, Uri handlerRoot)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(handlerRoot, request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var header in request.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static int ReadStatus(JsonElement res)
    {
        if (Json.TryGet(res, "statusCode", out var status) || Json.TryGet(res, "status", out status))
        {
            if (status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out var n))
            {
                return n;
            }

            if (status.ValueKind == JsonValueKind.String && int.TryParse(status.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }
        }

        return StatusCodes.Status200OK;
    }
}
