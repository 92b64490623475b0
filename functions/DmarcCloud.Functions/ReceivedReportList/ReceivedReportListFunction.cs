using System.Net;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedReportList;

/// <summary><c>GET /api/received/domains/{domain}/reports?days=15&amp;to=yyyy-mm-dd</c>: the aggregate reports received about the domain.</summary>
internal sealed class ReceivedReportListFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedReportList";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/reports")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiResponses.Domain(domain) is not { } name || ApiResponses.Window(request) is not { } window)
        {
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.BadRequest, "expected a domain name, days=1..366 and to=yyyy-mm-dd", cancellationToken).ConfigureAwait(false);
        }

        var result = await query.ListReportsAsync(name, window.Days, window.To, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await ApiResponses.JsonAsync(request, result, ReceivedReportsJsonContext.Default.IReadOnlyListReportListItem, cancellationToken).ConfigureAwait(false);
    }
}
