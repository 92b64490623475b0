using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedSources;

/// <summary><c>GET /api/received/domains/{domain}/sources?days=15&amp;to=yyyy-mm-dd</c>: the sources sending as the domain (IP, PTR, service, volume, aligned pass rates).</summary>
public sealed class ReceivedSourcesFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedSources";

    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains/{domain}/sources")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken) =>
        ApiResponses.DomainWindowAsync(request, domain, (name, days, to, ct) => query.GetSourcesAsync(name, days, to, cancellationToken: ct), ReceivedReportsJsonContext.Default.IReadOnlyListSourceSummary, cancellationToken);
}
