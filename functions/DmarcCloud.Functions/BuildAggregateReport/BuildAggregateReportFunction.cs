using System.Text.Json;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Functions.Invocation;
using DmarcCloud.Functions.Reporting;

namespace DmarcCloud.Functions.BuildAggregateReport;

/// <summary>
/// BuildAggregateReport (Service Bus <c>aggregate-jobs</c>): builds and stores the report part(s) of one policy
/// domain and day, verifies destinations, and emits one <c>outbound-reports</c> message per (part, destination).
/// A DNS failure while verifying answers 503 so the job is redelivered later.
/// </summary>
internal sealed class BuildAggregateReportFunction(ReportingAvailability availability, IServiceProvider services) : IFunction
{
    public static string Name => "BuildAggregateReport";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        if (!availability.Configured)
        {
            return InvocationResult.Failed(StatusCodes.Status503ServiceUnavailable, ReportingAvailability.NotConfigured);
        }

        var processor = services.GetRequiredService<AggregateReportJobProcessor>();
        if (ReportingMessages.Read(request.GetDataBytes("job"), ReportingJsonContext.Default.AggregateReportJob) is not AggregateReportJob job)
        {
            return InvocationResult.Failed(StatusCodes.Status400BadRequest, "dead-letter: the job message is not an aggregate report job");
        }

        try
        {
            var built = await processor.BuildAsync(job, cancellationToken).ConfigureAwait(false);
            return new InvocationResult()
                .Log($"{job.Day:yyyy-MM-dd}/{job.PolicyDomain}: {built.Files.Count} part(s), {built.Outbound.Count} send(s), {built.Refused.Count} refused destination record(s)")
                .SetMessages("outboundReports", built.Outbound.Select(o => JsonSerializer.Serialize(o, ReportingJsonContext.Default.OutboundReport)));
        }
        catch (DestinationCheckDeferredException ex)
        {
            return InvocationResult.Failed(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }
}
