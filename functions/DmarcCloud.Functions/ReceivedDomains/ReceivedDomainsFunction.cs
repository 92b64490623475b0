using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedDomains;

/// <summary><c>GET /api/received/domains</c>: the domains with received reports.</summary>
public sealed class ReceivedDomainsFunction(ReceivedReportQueryService query)
{
    public const string Name = "ReceivedDomains";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiResponses.Prefix + "/domains")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var domains = await query.ListDomainsAsync(cancellationToken).ConfigureAwait(false);
        return await ApiResponses.JsonAsync(request, domains, ReceivedReportsJsonContext.Default.IReadOnlyListDomainListItem, cancellationToken).ConfigureAwait(false);
    }
}
