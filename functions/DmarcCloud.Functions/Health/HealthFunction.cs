using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.Health;

/// <summary>
/// Health: <c>GET /api/health</c> (anonymous so probes need no key; it reveals only component names and whether
/// they answer). 200 when every component is healthy, else 503.
/// </summary>
public sealed class HealthFunction(HealthCheck check)
{
    public const string Name = "Health";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await check.RunAsync(cancellationToken).ConfigureAwait(false);
        var response = request.CreateResponse(report.Status == "healthy" ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        response.Headers.Add("Content-Type", "application/json");
        await response.WriteBytesAsync(JsonSerializer.SerializeToUtf8Bytes(report, FunctionsJsonContext.Default.HealthReport), cancellationToken).ConfigureAwait(false);
        return response;
    }
}
