using System.Text;
using DmarcCloud.LocalHost.Rpc;
using DmarcCloud.LocalHost.Worker;
using Microsoft.AspNetCore.Http;

namespace DmarcCloud.LocalHost.Hosting;

/// <summary>
/// The HTTP front door: matches <c>/&lt;routePrefix&gt;/&lt;route&gt;</c> against the HTTP-triggered functions'
/// routes and methods, sends the request as RpcHttp and writes the function's HttpResponseData back.
/// </summary>
internal sealed class HttpFrontDoor
{
    private readonly string _prefix;
    private readonly IReadOnlyList<(LoadedFunction Function, HttpRouteTemplate Route, IReadOnlySet<string> Methods)> _routes;
    private readonly Func<LoadedFunction, InvocationRequestFactory, CancellationToken, Task<InvocationOutcome>> _invoke;

    public HttpFrontDoor(
        string routePrefix, IEnumerable<LoadedFunction> functions,
        Func<LoadedFunction, InvocationRequestFactory, CancellationToken, Task<InvocationOutcome>> invoke)
    {
        _prefix = routePrefix.Trim('/');
        _invoke = invoke;
        _routes = [.. functions
            .Where(f => f.Is("httpTrigger"))
            .Select(f => (f, new HttpRouteTemplate(f.Get("route") ?? f.Name),
                (IReadOnlySet<string>)new HashSet<string>(f.GetList("methods").Select(m => m.ToUpperInvariant()), StringComparer.Ordinal)))
            .OrderBy(r => r.Item2.Template.Contains('{', StringComparison.Ordinal) ? 1 : 0)];
    }

    /// <summary>The routes, for the start-up status.</summary>
    public IEnumerable<string> Describe() => _routes.Select(r =>
        $"{(r.Methods.Count == 0 ? "*" : string.Join(',', r.Methods))} /{(_prefix.Length == 0 ? "" : _prefix + "/")}{r.Route.Template} → {r.Function.Name}");

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var relative = path.Trim('/');
        if (_prefix.Length > 0)
        {
            if (!relative.Equals(_prefix, StringComparison.OrdinalIgnoreCase) && !relative.StartsWith(_prefix + "/", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = 404;
                return;
            }

            relative = relative.Length == _prefix.Length ? "" : relative[(_prefix.Length + 1)..];
        }

        var method = context.Request.Method.ToUpperInvariant();
        var matchedPath = false;
        foreach (var (function, route, methods) in _routes)
        {
            if (route.Match(relative) is not { } values)
            {
                continue;
            }

            matchedPath = true;
            if (methods.Count > 0 && !methods.Contains(method))
            {
                continue;
            }

            await InvokeAsync(context, function, values).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = matchedPath ? 405 : 404;
    }

    private async Task InvokeAsync(HttpContext context, LoadedFunction function, IReadOnlyDictionary<string, string> routeValues)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var url = new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}");
        var bytes = body.ToArray();
        var outcome = await _invoke(
            function,
            () => InvocationPayloads.Http(function.TriggerName, context.Request.Method, url, headers, query, routeValues, bytes),
            context.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            context.Response.StatusCode = 500;
            return;
        }

        var http = outcome.Response?.ReturnValue?.Http
            ?? outcome.Response?.OutputData.Select(o => o.Data?.Http).FirstOrDefault(h => h is not null);
        if (http is null)
        {
            context.Response.StatusCode = 204;
            return;
        }

        context.Response.StatusCode = int.TryParse(http.StatusCode, out var status) ? status : 200;
        foreach (var (name, value) in http.Headers)
        {
            SetHeader(context, name, value);
        }

        foreach (var (name, value) in http.NullableHeaders)
        {
            SetHeader(context, name, value.Value);
        }

        var content = http.Body?.DataCase switch
        {
            TypedData.DataOneofCase.Bytes => http.Body.Bytes.ToByteArray(),
            TypedData.DataOneofCase.Stream => http.Body.Stream.ToByteArray(),
            TypedData.DataOneofCase.String => Encoding.UTF8.GetBytes(http.Body.String),
            TypedData.DataOneofCase.Json => Encoding.UTF8.GetBytes(http.Body.Json),
            _ => [],
        };
        if (content.Length > 0)
        {
            await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static void SetHeader(HttpContext context, string name, string value)
    {
        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        context.Response.Headers[name] = value;
    }
}
