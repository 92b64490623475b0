using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedSummary;

/// <summary><c>GET /api/received/domains/{domain}/summary?days=15&amp;to=yyyy-mm-dd</c>: the domain's summary figures and daily series over the window.</summary>
public sealed class ReceivedSummaryFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedSummary";

    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/summary")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken) =>
        ApiResponses.DomainWindowAsync(request, domain, (name, days, to, ct) => query.GetSummaryAsync(name, days, to, ct), ReceivedReportsJsonContext.Default.DomainSummary, cancellationToken);
}
