using System.Net;
using DmarcCloud.Azure.DomainTools;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.Functions.DomainTools;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.DomainCheck;

/// <summary>
/// <c>GET /api/domain-tools/{domain}/check?selector=s…</c>: the checker's report for the domain (DMARC, SPF, DKIM findings,
/// the record to publish now) through the app's DNS resolver; the JSON of <c>dmarccloud check --json</c>.
/// </summary>
public sealed class DomainCheckFunction(DomainToolsService tools)
{
    public const string Name = "DomainCheck";

    /// <summary>Selectors asked for at most (each is a DNS query on top of the well-known ones).</summary>
    private const int MaxSelectors = 20;

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DomainToolsServices.Prefix + "/{domain}/check")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selectors = System.Web.HttpUtility.ParseQueryString(request.Url.Query).GetValues("selector") ?? [];
        if (DomainToolsServices.Domain(domain) is not { } name || selectors.Length > MaxSelectors || selectors.Any(s => !DomainChecker.IsCheckableDomain(s + ".x")))
        {
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.BadRequest, $"expected a domain name and at most {MaxSelectors} selector=<DNS labels>", cancellationToken).ConfigureAwait(false);
        }

        var report = await tools.CheckAsync(name, selectors, cancellationToken).ConfigureAwait(false);
        return await ApiResponses.JsonAsync(request, report, DomainCheckJsonContext.Default.DomainCheckReport, cancellationToken).ConfigureAwait(false);
    }
}
