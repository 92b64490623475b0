using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedReporters;

/// <summary><c>GET /api/received/domains/{domain}/reporters?days=15&amp;to=yyyy-mm-dd</c>: the organisations that reported on the domain.</summary>
public sealed class ReceivedReportersFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedReporters";

    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/reporters")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken) =>
        ApiResponses.DomainWindowAsync(request, domain, (name, days, to, ct) => query.GetReportersAsync(name, days, to, ct), ReceivedReportsJsonContext.Default.IReadOnlyListReporterSummary, cancellationToken);
}
