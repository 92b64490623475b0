using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DmarcCloud.Azure.ReceivedReports;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.ReceivedReports;

/// <summary>Shared shapes of the received-report HTTP API: JSON bodies, the <c>days</c>/<c>to</c> window, errors.</summary>
internal static class ApiResponses
{
    /// <summary>Route prefix of the API (after the host's <c>/api</c>).</summary>
    public const string Prefix = "received";

    public static async Task<HttpResponseData> JsonAsync<T>(HttpRequestData request, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        response.Headers.Add("Cache-Control", "no-store");
        await response.WriteBytesAsync(JsonSerializer.SerializeToUtf8Bytes(value, type), cancellationToken).ConfigureAwait(false);
        return response;
    }

    public static Task<HttpResponseData> ErrorAsync(HttpRequestData request, HttpStatusCode status, string error, CancellationToken cancellationToken) =>
        JsonAsync(request, new ApiError(error), ReceivedReportsJsonContext.Default.ApiError, cancellationToken, status);

    /// <summary>
    /// A windowed query about one domain (<c>/domains/{domain}/…?days=&amp;to=</c>): 400 when the domain or the window is
    /// malformed, else the query's answer as JSON.
    /// </summary>
    public static async Task<HttpResponseData> DomainWindowAsync<T>(
        HttpRequestData request,
        string domain,
        Func<string, int, DateOnly?, CancellationToken, Task<T>> query,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        if (Domain(domain) is not { } name || Window(request) is not { } window)
        {
            return await ErrorAsync(request, HttpStatusCode.BadRequest, "expected a domain name, days=1..366 and to=yyyy-mm-dd", cancellationToken).ConfigureAwait(false);
        }

        var result = await query(name, window.Days, window.To, cancellationToken).ConfigureAwait(false);
        return await JsonAsync(request, result, type, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The window from <c>?days=</c> (default 15, 1–366) and <c>?to=yyyy-mm-dd</c> (default today, UTC); null when malformed.</summary>
    public static (int Days, DateOnly? To)? Window(HttpRequestData request)
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        var days = ReceivedReportQueryService.DefaultDays;
        if (query["days"] is { } daysText && (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > 366))
        {
            return null;
        }

        DateOnly? to = null;
        if (query["to"] is { } toText)
        {
            if (!DateOnly.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return null;
            }

            to = parsed;
        }

        return (days, to);
    }

    /// <summary>A domain from the route: lower-cased, or null when it cannot be a domain name.</summary>
    public static string? Domain(string domain) =>
        domain.Length is > 0 and <= 253 && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? domain.ToLowerInvariant() : null;
}
