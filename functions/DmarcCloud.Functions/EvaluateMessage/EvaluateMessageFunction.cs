using System.Text.Json;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.Invocation;

namespace DmarcCloud.Functions.EvaluateMessage;

/// <summary>
/// EvaluateMessage: Service Bus <c>inbound-mail</c> (Event Grid BlobCreated) → verdict stored, verdict message on
/// <c>verdicts</c>, failure-report request on <c>failureReports</c>. Transient faults answer 503 so Service Bus redelivers.
/// </summary>
internal sealed class EvaluateMessageFunction(InboundMessageProcessor processor) : IFunction
{
    public static string Name => "EvaluateMessage";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var body = request.GetDataBytes("message") ?? [];
        var delivery = new ServiceBusDelivery(request.GetMetadataString("MessageId"), request.GetMetadataInt64("DeliveryCount") ?? 1);
        var outcome = await processor.ProcessAsync(body, delivery, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == InboundOutcomeStatus.Retry)
        {
            return InvocationResult.Failed(StatusCodes.Status503ServiceUnavailable, outcome.Reason);
        }

        var result = new InvocationResult().Log($"{outcome.Blob ?? "?"} ({outcome.MessageKey ?? "no key"}): {outcome.Reason}");
        result.SetMessages("verdicts", outcome.Verdict is null ? [] : [JsonSerializer.Serialize(ToMessage(outcome), FunctionsJsonContext.Default.VerdictMessage)]);
        result.SetMessages("failureReports", outcome.Verdict?.Policy is null || outcome.FailureReportOptions is not { Count: > 0 } ? [] :
            [JsonSerializer.Serialize(ToFailureReport(outcome), FunctionsJsonContext.Default.FailureReportRequest)]);
        return result;
    }

    private static VerdictMessage ToMessage(InboundOutcome outcome)
    {
        var verdict = outcome.Verdict!;
        return new VerdictMessage(
            outcome.MessageKey!, outcome.Blob!, verdict.Envelope.ReceivedAt, verdict.HeaderFrom, verdict.Policy?.Domain,
            verdict.Result.ToString().ToLowerInvariant(), verdict.Disposition.ToString().ToLowerInvariant(),
            verdict.RequestedPolicy?.ToString().ToLowerInvariant(), [.. verdict.Overrides.Select(o => OverrideName(o.Type))],
            verdict.AuthenticationResults, verdict.Envelope.RcptTo);
    }

    private static FailureReportRequest ToFailureReport(InboundOutcome outcome)
    {
        var verdict = outcome.Verdict!;
        return new FailureReportRequest(
            outcome.MessageKey!, outcome.Blob!, verdict.Policy!.Domain, verdict.HeaderFrom ?? string.Empty,
            verdict.Envelope.ClientIp.ToString(), verdict.Envelope.ReceivedAt, verdict.Policy.Ruf, outcome.FailureReportOptions!,
            verdict.Result.ToString().ToLowerInvariant(), verdict.AuthenticationResults);
    }

    /// <summary>RFC 9990 PolicyOverrideType names (snake_case).</summary>
    private static string OverrideName(Core.Dmarc.PolicyOverrideType type) => type switch
    {
        Core.Dmarc.PolicyOverrideType.SampledOut => "sampled_out",
        Core.Dmarc.PolicyOverrideType.TrustedForwarder => "trusted_forwarder",
        Core.Dmarc.PolicyOverrideType.MailingList => "mailing_list",
        Core.Dmarc.PolicyOverrideType.LocalPolicy => "local_policy",
        Core.Dmarc.PolicyOverrideType.PolicyTestMode => "policy_test_mode",
        _ => type.ToString().ToLowerInvariant(),
    };
}
