using DmarcCloud.Core.DomainCheck;

namespace DmarcCloud.Core.Rollout;

/// <summary>The rollout advisor's answer for one domain and window: where it stands, what enforcing would do, what to publish.</summary>
/// <param name="Domain">The policy domain.</param>
/// <param name="From">The first day of the window.</param>
/// <param name="To">The last day of the window (inclusive).</param>
/// <param name="Stage">The stage the published record puts the domain at.</param>
/// <param name="Quarantine">The window replayed under <c>p=quarantine</c> (the record's sp/np kept).</param>
/// <param name="Reject">The window replayed under <c>p=reject</c> (the record's sp/np kept).</param>
/// <param name="Threshold">The stated threshold: the largest share of legitimate-looking mail allowed to fail.</param>
/// <param name="ReadyForQuarantine">Quarantine would hit less than the threshold of legitimate mail, with enough data.</param>
/// <param name="ReadyForReject">Reject would hit less than the threshold of legitimate mail, with enough data.</param>
/// <param name="Decision">Start, advance, hold or done.</param>
/// <param name="NextStep">The records to publish now (null when holding).</param>
/// <param name="Actions">What to do first: the legitimate-looking failing sources and their fixes, missing data.</param>
/// <param name="Explanation">The decision in one or two sentences, with the figures.</param>
/// <remarks>RFC 9989 §4.7 (<c>t=y</c>), RFC 7489 §6.6.4 (<c>pct</c>), RFC 9990 (the reports the figures come from).</remarks>
public sealed record RolloutAdvice(
    string Domain,
    DateOnly From,
    DateOnly To,
    RolloutStage Stage,
    PolicySimulation Quarantine,
    PolicySimulation Reject,
    double Threshold,
    bool ReadyForQuarantine,
    bool ReadyForReject,
    RolloutDecision Decision,
    GeneratedPolicy? NextStep,
    IReadOnlyList<string> Actions,
    string Explanation);
