using System.Net;
using DmarcCloud.Azure.DomainTools;
using DmarcCloud.Functions.DomainTools;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.DomainAdvice;

/// <summary>
/// <c>GET /api/domain-tools/{domain}/advice?days=15&amp;to=yyyy-mm-dd</c>: the rollout advisor over the domain's received
/// reports and its published record (read through the app's resolver): the next step with its records, both
/// simulations, the sources to fix. 503 when the published record cannot be read (DNS temperror).
/// </summary>
public sealed class DomainAdviceFunction(DomainToolsService tools)
{
    public const string Name = "DomainAdvice";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DomainToolsServices.Prefix + "/{domain}/advice")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (DomainToolsServices.Domain(domain) is not { } name || ApiResponses.Window(request) is not { } window)
        {
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.BadRequest, "expected a domain name, days=1..366 and to=yyyy-mm-dd", cancellationToken).ConfigureAwait(false);
        }

        var advice = await tools.AdviseAsync(name, window.Days, window.To, cancellationToken).ConfigureAwait(false);
        var status = advice.Advice is null ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
        return await ApiResponses.JsonAsync(request, advice, DomainToolsJsonContext.Default.DomainAdvice, cancellationToken, status).ConfigureAwait(false);
    }
}
