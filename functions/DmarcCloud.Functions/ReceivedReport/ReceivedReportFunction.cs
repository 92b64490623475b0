using System.Net;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedReport;

/// <summary><c>GET /api/received/domains/{domain}/reports/{key}</c>: one report, parsed (read again from the kept raw file).</summary>
public sealed class ReceivedReportFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedReport";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/reports/{key}")] HttpRequestData request,
        string domain,
        string key,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = ApiResponses.Domain(domain) is { } name ? await query.GetReportAsync(name, key, cancellationToken).ConfigureAwait(false) : null;
        return report is null
            ? await ApiResponses.ErrorAsync(request, HttpStatusCode.NotFound, "no such report", cancellationToken).ConfigureAwait(false)
            : await ApiResponses.JsonAsync(request, report, ReceivedReportsJsonContext.Default.StoredReport, cancellationToken).ConfigureAwait(false);
    }
}
