using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Functions.Tests;

/// <summary>Verdicts for <see cref="ScriptedEvaluator"/>: fixed shapes, not evaluation results.</summary>
internal static class ScriptedVerdicts
{
    public static Verdict Fail(SmtpEnvelope envelope) => new()
    {
        Envelope = envelope,
        EvaluatedAt = envelope.ReceivedAt,
        HeaderFrom = "example.com",
        Result = DmarcResult.Fail,
        Policy = new PublishedPolicy("example.com", "v=DMARC1; p=reject; fo=1; ruf=mailto:ruf@example.com", DmarcPolicy.Reject, null, null,
            AlignmentMode.Relaxed, AlignmentMode.Relaxed, false, PsdFlag.Unspecified, null, "1", [], ["mailto:ruf@example.com"], DiscoveryMethod.TreeWalk),
        RequestedPolicy = DmarcPolicy.Reject,
        Disposition = Disposition.Reject,
        AuthenticationResults = "Authentication-Results: mx.test; dmarc=fail header.from=example.com",
    };

    public static Verdict TempError(SmtpEnvelope envelope) => new()
    {
        Envelope = envelope,
        EvaluatedAt = envelope.ReceivedAt,
        HeaderFrom = "example.com",
        Result = DmarcResult.TempError,
        AuthenticationResults = "Authentication-Results: mx.test; dmarc=temperror header.from=example.com",
    };
}
