using System.Net;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedReportRaw;

/// <summary><c>GET /api/received/domains/{domain}/reports/{key}/raw</c>: the file the report arrived in, as received.</summary>
public sealed class ReceivedReportRawFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedReportRaw";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/reports/{key}/raw")] HttpRequestData request,
        string domain,
        string key,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var raw = ApiResponses.Domain(domain) is { } name ? await query.DownloadReportAsync(name, key, cancellationToken).ConfigureAwait(false) : null;
        if (raw is not { } file)
        {
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.NotFound, "no such report", cancellationToken).ConfigureAwait(false);
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", file.ContentType);
        response.Headers.Add("Content-Disposition", $"attachment; filename=\"{file.FileName}\"");
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        await response.WriteBytesAsync(file.Content, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
