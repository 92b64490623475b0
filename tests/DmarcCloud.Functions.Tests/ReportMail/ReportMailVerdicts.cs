using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Functions.Tests.ReportMail;

/// <summary>Verdicts of a report mail from reporter.example for <see cref="ScriptedEvaluator"/>: fixed shapes, not evaluation results.</summary>
internal static class ReportMailVerdicts
{
    public static Verdict Pass(SmtpEnvelope envelope) => With(envelope, DmarcResult.Pass);

    public static Verdict Fail(SmtpEnvelope envelope) => With(envelope, DmarcResult.Fail);

    public static Verdict With(SmtpEnvelope envelope, DmarcResult result) => new()
    {
        Envelope = envelope,
        EvaluatedAt = envelope.ReceivedAt,
        HeaderFrom = "reporter.example",
        Result = result,
        AuthenticationResults = $"Authentication-Results: mx.test; dmarc={result.ToString().ToLowerInvariant()} header.from=reporter.example",
    };
}
