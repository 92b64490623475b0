using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedFailures;

/// <summary><c>GET /api/received/domains/{domain}/failures?days=15&amp;to=yyyy-mm-dd</c>: the failure reports received about the domain.</summary>
public sealed class ReceivedFailuresFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedFailures";

    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/failures")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken) =>
        ApiResponses.DomainWindowAsync(request, domain, (name, days, to, ct) => query.ListFailuresAsync(name, days, to, ct), ReceivedReportsJsonContext.Default.IReadOnlyListFailureReportItem, cancellationToken);
}
