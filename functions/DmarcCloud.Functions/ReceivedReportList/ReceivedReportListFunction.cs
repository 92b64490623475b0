using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedReportList;

/// <summary><c>GET /api/received/domains/{domain}/reports?days=15&amp;to=yyyy-mm-dd</c>: the aggregate reports received about the domain.</summary>
public sealed class ReceivedReportListFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedReportList";

    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/reports")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken) =>
        ApiResponses.DomainWindowAsync(request, domain, (name, days, to, ct) => query.ListReportsAsync(name, days, to, ct), ReceivedReportsJsonContext.Default.IReadOnlyListReportListItem, cancellationToken);
}
