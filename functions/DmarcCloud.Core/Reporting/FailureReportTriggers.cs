using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Reporting;

/// <summary>Decides whether a verdict calls for a failure report, following the policy's <c>fo=</c> and <c>ruf=</c> tags.</summary>
/// <remarks>
/// RFC 9991 §3 (the <c>fo</c> tag, a colon-separated list; default <c>0</c>; unknown options ignored):
/// <list type="bullet">
/// <item><c>0</c>: "all underlying authentication mechanisms fail to produce an aligned pass" — DMARC fail.</item>
/// <item><c>1</c>: "any underlying authentication mechanism produced something other than an aligned pass".</item>
/// <item><c>d</c>: "a signature that failed evaluation, regardless of its alignment" — a DKIM <c>fail</c>.</item>
/// <item><c>s</c>: "failed SPF evaluation, regardless of its alignment" — an SPF <c>fail</c>.</item>
/// </list>
/// No report is asked for without a <c>ruf</c> URI, without a policy, or when the result is <c>temperror</c>
/// (the outcome is unknown, a report would be noise).
/// </remarks>
public static class FailureReportTriggers
{
    /// <summary>The <c>fo</c> options that <paramref name="verdict"/> satisfies (empty: no report).</summary>
    public static IReadOnlyList<string> Evaluate(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var policy = verdict.Policy;
        if (policy is null || policy.Ruf.Count == 0 || verdict.Result is DmarcResult.TempError or DmarcResult.None)
        {
            return [];
        }

        var options = string.IsNullOrWhiteSpace(policy.Fo)
            ? ["0"]
            : policy.Fo.Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var fired = new List<string>();
        foreach (var option in options.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var fires = option.ToLowerInvariant() switch
            {
                "0" => verdict.Result == DmarcResult.Fail,
                "1" => !(verdict.SpfAligned && verdict.DkimAligned),
                "d" => verdict.Dkim.Any(d => d.Result == DkimResult.Fail),
                "s" => verdict.Spf?.Result == SpfResult.Fail,
                _ => false,
            };
            if (fires)
            {
                fired.Add(option.ToLowerInvariant());
            }
        }

        return fired;
    }
}
