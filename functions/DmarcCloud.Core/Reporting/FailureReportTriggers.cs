using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Reporting;

/// <summary>Decides whether a verdict calls for a failure report, following the policy's <c>fo=</c> and <c>ruf=</c> tags.</summary>
/// <remarks>
/// RFC 9989 §4.7 (<c>fo</c>, parsed once into <see cref="FailureReportOptions"/>) and RFC 9991 §2:
/// <list type="bullet">
/// <item><c>0</c>: "all underlying authentication mechanisms fail to produce an aligned pass" — neither SPF nor DKIM aligned.</item>
/// <item><c>1</c>: "any underlying authentication mechanism produced something other than an aligned pass".</item>
/// <item><c>d</c>: "a signature that failed evaluation, regardless of its alignment" — a DKIM <c>fail</c> or
/// <c>permerror</c> of any signature, aligned or not (a <c>temperror</c> is not a failed evaluation).</item>
/// <item><c>s</c>: "failed SPF evaluation, regardless of its alignment" — an SPF <c>fail</c>.</item>
/// </list>
/// No report is asked for without a <c>ruf</c> URI, without a policy, when the result is <c>temperror</c>,
/// <c>permerror</c> or <c>none</c> (the outcome is unknown or no policy applies: a report would be noise), or when the
/// record has <c>psd=y</c> (RFC 9991 §2: "Report generators MUST NOT consider ruf tags in DMARC Policy Records having a
/// psd=y tag").
/// </remarks>
public static class FailureReportTriggers
{
    /// <summary>The <c>fo</c> options of the policy that <paramref name="verdict"/> satisfies (<see cref="FailureReportOptions.None"/>: no report).</summary>
    public static FailureReportOptions Due(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var policy = verdict.Policy;
        if (policy is null || policy.Ruf.Count == 0 || policy.Psd == PsdFlag.Yes || verdict.Result is not (DmarcResult.Pass or DmarcResult.Fail))
        {
            return FailureReportOptions.None;
        }

        var requested = policy.FailureOptions;
        var fired = FailureReportOptions.None;
        if (requested.HasFlag(FailureReportOptions.AllFail) && !verdict.SpfAligned && !verdict.DkimAligned)
        {
            fired |= FailureReportOptions.AllFail;
        }

        if (requested.HasFlag(FailureReportOptions.AnyFail) && !(verdict.SpfAligned && verdict.DkimAligned))
        {
            fired |= FailureReportOptions.AnyFail;
        }

        if (requested.HasFlag(FailureReportOptions.DkimFail) && verdict.Dkim.Any(IsFailedSignature))
        {
            fired |= FailureReportOptions.DkimFail;
        }

        if (requested.HasFlag(FailureReportOptions.SpfFail) && verdict.Spf?.Result == SpfResult.Fail)
        {
            fired |= FailureReportOptions.SpfFail;
        }

        return fired;
    }

    /// <summary>The <c>fo</c> options that <paramref name="verdict"/> satisfies, as RFC tokens (<c>0 1 d s</c>; empty: no report).</summary>
    public static IReadOnlyList<string> Evaluate(Verdict verdict) => FailureReportOptionsSyntax.Tokens(Due(verdict));

    /// <summary>A DKIM signature that "failed evaluation" (RFC 9989 §4.7 <c>fo=d</c>): <c>fail</c> or <c>permerror</c>.</summary>
    public static bool IsFailedSignature(DkimSignatureResult signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Result is DkimResult.Fail or DkimResult.PermError;
    }
}
