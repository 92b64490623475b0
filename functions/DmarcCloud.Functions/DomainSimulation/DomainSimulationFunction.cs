using System.Net;
using DmarcCloud.Azure.DomainTools;
using DmarcCloud.Core;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Rollout;
using DmarcCloud.Functions.DomainTools;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.DomainSimulation;

/// <summary>
/// <c>GET /api/domain-tools/{domain}/simulation?p=reject&amp;sp=…&amp;np=…&amp;days=15&amp;to=yyyy-mm-dd</c>: the domain's received
/// reports over the window replayed under the given policy (<c>p</c> default <c>reject</c>): what share of its mail and
/// which sources would be quarantined or rejected, and which failing sources look legitimate.
/// </summary>
public sealed class DomainSimulationFunction(DomainToolsService tools)
{
    public const string Name = "DomainSimulation";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DomainToolsServices.Prefix + "/{domain}/simulation")] HttpRequestData request,
        string domain,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        if (DomainToolsServices.Domain(domain) is not { } name || ApiResponses.Window(request) is not { } window
            || !RfcName.TryParse(query["p"] ?? "reject", out DmarcPolicy p) || !TryOptionalPolicy(query["sp"], out var sp) || !TryOptionalPolicy(query["np"], out var np))
        {
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.BadRequest, "expected a domain name, p/sp/np = none|quarantine|reject, days=1..366 and to=yyyy-mm-dd", cancellationToken).ConfigureAwait(false);
        }

        var simulation = await tools.SimulateAsync(name, new SimulatedPolicy(p, sp, np), window.Days, window.To, cancellationToken).ConfigureAwait(false);
        return await ApiResponses.JsonAsync(request, simulation, DomainToolsJsonContext.Default.DomainSimulation, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryOptionalPolicy(string? text, out DmarcPolicy? policy)
    {
        policy = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var ok = RfcName.TryParse(text, out DmarcPolicy parsed);
        policy = ok ? parsed : null;
        return ok;
    }
}
