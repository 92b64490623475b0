using System.Net;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Functions.ReceivedReports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.Functions.UploadReport;

/// <summary>
/// <c>POST /api/received/upload</c> with the report file as the body (XML, gzip, zip, mail or mbox; any content type):
/// 200 with what was stored, 400 when nothing could be read (the body names each reason; the input is kept and recorded
/// in <c>ReceivedRejections</c>), 413
/// when the body is larger than the input limit.
/// </summary>
public sealed class UploadReportFunction(ReportIngestService ingest)
{
    public const string Name = "UploadReport";

    [Function(Name)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiResponses.Prefix + "/upload")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = ReportIngestOptions.Default.MaxInputBytes;
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > limit)
            {
                return await ApiResponses.ErrorAsync(request, HttpStatusCode.RequestEntityTooLarge, $"the body is larger than {limit} bytes", cancellationToken).ConfigureAwait(false);
            }

            body.Write(buffer, 0, read);
        }

        var name = System.Web.HttpUtility.ParseQueryString(request.Url.Query)["name"];
        var result = await ingest.IngestAsync(body.GetBuffer().AsMemory(0, (int)body.Length), name, "upload", cancellationToken).ConfigureAwait(false);
        var status = result.Items.All(i => i.Outcome == "rejected") ? HttpStatusCode.BadRequest : HttpStatusCode.OK;
        return await ApiResponses.JsonAsync(request, result, ReceivedReportsJsonContext.Default.IngestResult, cancellationToken, status).ConfigureAwait(false);
    }
}
