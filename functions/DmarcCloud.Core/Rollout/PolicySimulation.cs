namespace DmarcCloud.Core.Rollout;

/// <summary>What a policy would have done to a domain's mail over a window of aggregate reports.</summary>
/// <param name="Domain">The domain (policy domain).</param>
/// <param name="From">The first day of the window (UTC).</param>
/// <param name="To">The last day of the window (UTC, inclusive).</param>
/// <param name="Policy">The policy simulated.</param>
/// <param name="Messages">All messages in the window.</param>
/// <param name="Failing">Messages that failed DMARC.</param>
/// <param name="WouldQuarantine">Messages the policy would quarantine.</param>
/// <param name="WouldReject">Messages the policy would reject.</param>
/// <param name="FailingByTag">Failing messages by the tag that governs them (<c>p</c>, <c>sp</c>, <c>np</c>).</param>
/// <param name="Sources">Every source, the ones the policy would hit first (most affected messages first).</param>
/// <param name="LegitimateMessages">Messages from compliant and legitimate-looking sources.</param>
/// <param name="LegitimateFailing">Failing messages from legitimate-looking sources.</param>
/// <param name="DaysWithData">Distinct days in the window with at least one row.</param>
/// <remarks>RFC 9989 §4.8 (DMARC pass: an aligned DKIM or SPF pass) and §4.7 (which of p/sp/np applies).</remarks>
public sealed record PolicySimulation(
    string Domain,
    DateOnly From,
    DateOnly To,
    SimulatedPolicy Policy,
    long Messages,
    long Failing,
    long WouldQuarantine,
    long WouldReject,
    IReadOnlyDictionary<string, long> FailingByTag,
    IReadOnlyList<SourceSummary> Sources,
    long LegitimateMessages,
    long LegitimateFailing,
    int DaysWithData)
{
    /// <summary>Share of all messages the policy would quarantine or reject (0–1).</summary>
    public double AffectedShare => Messages == 0 ? 0 : (double)(WouldQuarantine + WouldReject) / Messages;

    /// <summary>Share of legitimate-looking mail that fails DMARC (0–1): what enforcing would cost.</summary>
    public double LegitimateFailingShare => LegitimateMessages == 0 ? 0 : (double)LegitimateFailing / LegitimateMessages;
}
