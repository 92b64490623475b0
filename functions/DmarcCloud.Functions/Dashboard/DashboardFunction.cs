using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.Dashboard;

/// <summary>
/// <c>GET /api/dashboard</c>: the received-reports dashboard, one self-contained page embedded in the app (inline
/// script and SVG charts, no CDN) that reads the <c>/api/received/…</c> API from the same origin.
/// </summary>
public sealed class DashboardFunction
{
    public const string Name = "Dashboard";

    private const string ResourceName = "DmarcCloud.Functions.Dashboard.dashboard.html";
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardFunction).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "text/html; charset=utf-8");
        response.Headers.Add("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:");
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        await response.WriteBytesAsync(Page.Value, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
