using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Functions.Invocation;
using DmarcCloud.Functions.Reporting;

namespace DmarcCloud.Functions.SendReport;

/// <summary>
/// SendReport (Service Bus <c>outbound-reports</c>): sends one report part to one destination, once. A report sent
/// before is acknowledged without sending; a permanent SMTP refusal answers non-2xx with the reply on every
/// delivery, so Service Bus dead-letters it; transient failures throw (500) and are retried.
/// </summary>
internal sealed class SendReportFunction(ReportingAvailability availability, IServiceProvider services) : IFunction
{
    public static string Name => "SendReport";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        if (!availability.Configured)
        {
            return InvocationResult.Failed(StatusCodes.Status503ServiceUnavailable, ReportingAvailability.NotConfigured);
        }

        var dispatcher = services.GetRequiredService<ReportDispatcher>();
        if (ReportingMessages.Read(request.GetDataBytes("report"), ReportingJsonContext.Default.OutboundReport) is not OutboundReport report)
        {
            return InvocationResult.Failed(StatusCodes.Status400BadRequest, "dead-letter: the message is not an outbound report");
        }

        var result = await dispatcher.SendAsync(report, cancellationToken).ConfigureAwait(false);
        var what = $"{report.ReportId} → {report.Destination}";
        return result.Outcome switch
        {
            ReportDispatchOutcome.Sent => new InvocationResult().Log($"{what}: sent ({result.Detail})"),
            ReportDispatchOutcome.AlreadySent => new InvocationResult().Log($"{what}: already sent, nothing to do"),
            ReportDispatchOutcome.InProgressElsewhere => InvocationResult.Failed(StatusCodes.Status503ServiceUnavailable, $"{what}: another sender holds the claim; retry later"),
            _ => InvocationResult.Failed(StatusCodes.Status502BadGateway, $"dead-letter: {what} refused permanently: {result.Detail}"),
        };
    }
}
