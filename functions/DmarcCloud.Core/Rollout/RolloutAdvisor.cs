using System.Globalization;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.DomainCheck;

namespace DmarcCloud.Core.Rollout;

/// <summary>
/// Decides the next step of a domain's DMARC rollout from its published record and the aggregate reports received
/// about it: test steps (<c>t=y; pct=0</c>) are advised at once, as they change no delivery; steps that enforce are
/// advised only when the replayed window shows legitimate-looking mail failing below the stated threshold, with enough
/// days and messages to trust it.
/// </summary>
/// <remarks>RFC 9989 §4.7 and §4.8; RFC 7489 §6.6.4 for the pct ramp; the records come from <see cref="DmarcRecordGenerator"/>.</remarks>
public static class RolloutAdvisor
{
    /// <summary>Advises <paramref name="domain"/> over the window <paramref name="from"/>–<paramref name="to"/>.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="current">The published record (null when there is none).</param>
    /// <param name="rows">The domain's aggregate-report traffic (other days and domains are ignored).</param>
    /// <param name="from">The first day of the window.</param>
    /// <param name="to">The last day of the window (inclusive).</param>
    /// <param name="reportMailbox">The platform's report mailbox, for generated records.</param>
    /// <param name="options">Thresholds.</param>
    public static RolloutAdvice Advise(string domain, DmarcRecord? current, IEnumerable<TrafficRow> rows, DateOnly from, DateOnly to, string? reportMailbox = null, RolloutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new RolloutOptions();
        domain = DnsName.Normalize(domain);
        var list = rows as IReadOnlyCollection<TrafficRow> ?? rows.ToList();
        var sp = current is { PolicyDefaultedToNone: false } ? current.Sp : null;
        var np = current is { PolicyDefaultedToNone: false } ? current.Np : null;
        var quarantine = PolicySimulator.Simulate(domain, list, new SimulatedPolicy(DmarcPolicy.Quarantine, sp, np), from, to, options);
        var reject = PolicySimulator.Simulate(domain, list, new SimulatedPolicy(DmarcPolicy.Reject, sp, np), from, to, options);
        var readyQ = Ready(quarantine, options);
        var readyR = Ready(reject, options);
        var stage = DmarcRecordGenerator.StageOf(current);
        var next = DmarcRecordGenerator.NextStep(domain, current, reportMailbox);
        var actions = Actions(reject, options);

        RolloutDecision decision;
        string explanation;
        var figures = Figures(reject);
        switch (stage)
        {
            case RolloutStage.NoPolicy:
                decision = RolloutDecision.Start;
                explanation = "No DMARC record: publish the starter record (p=none) to start receiving reports.";
                break;
            case RolloutStage.Reject:
                decision = RolloutDecision.Done;
                explanation = $"p=reject is in force. {figures}";
                break;
            default:
                var enforcing = next.To is RolloutStage.Quarantine or RolloutStage.QuarantinePartial or RolloutStage.Reject or RolloutStage.RejectPartial;
                var simulation = next.To is RolloutStage.Reject or RolloutStage.RejectPartial ? reject : quarantine;
                var ready = simulation == reject ? readyR : readyQ;
                if (!enforcing)
                {
                    decision = RolloutDecision.Advance;
                    explanation = $"The next step is a test: receivers change nothing, and reports show what {(next.To == RolloutStage.RejectTesting ? "reject" : "quarantine")} would do. {figures}";
                }
                else if (ready)
                {
                    decision = RolloutDecision.Advance;
                    explanation = $"Ready: {Percent(simulation.LegitimateFailingShare)} of legitimate-looking mail fails DMARC, below the {Percent(options.ReadyThreshold)} threshold over {simulation.DaysWithData} days. {Figures(simulation)}";
                }
                else
                {
                    decision = RolloutDecision.Hold;
                    explanation = $"Not yet: {NotReadyBecause(simulation, options)} {Figures(simulation)}";
                }

                break;
        }

        return new RolloutAdvice(domain, from, to, stage, quarantine, reject, options.ReadyThreshold, readyQ, readyR, decision,
            decision == RolloutDecision.Hold ? null : next, actions, explanation);
    }

    private static bool Ready(PolicySimulation simulation, RolloutOptions options) =>
        simulation.DaysWithData >= options.MinimumDaysWithData
        && simulation.Messages >= options.MinimumMessages
        && simulation.LegitimateFailingShare <= options.ReadyThreshold;

    private static string NotReadyBecause(PolicySimulation simulation, RolloutOptions options)
    {
        var reasons = new List<string>();
        if (simulation.LegitimateFailingShare > options.ReadyThreshold)
        {
            reasons.Add($"{Percent(simulation.LegitimateFailingShare)} of legitimate-looking mail ({simulation.LegitimateFailing} of {simulation.LegitimateMessages} messages) fails DMARC, over the {Percent(options.ReadyThreshold)} threshold.");
        }

        if (simulation.DaysWithData < options.MinimumDaysWithData)
        {
            reasons.Add($"reports cover {simulation.DaysWithData} day(s); at least {options.MinimumDaysWithData} are needed.");
        }

        if (simulation.Messages < options.MinimumMessages)
        {
            reasons.Add($"the window holds {simulation.Messages} message(s); at least {options.MinimumMessages} are needed.");
        }

        return string.Join(' ', reasons);
    }

    private static List<string> Actions(PolicySimulation reject, RolloutOptions options)
    {
        var actions = reject.Sources
            .Where(s => s.Class == SourceClass.Legitimate)
            .Take(10)
            .Select(s => $"{Describe(s)}: {s.Failing} of {s.Messages} messages fail ({string.Join("; ", s.Reasons)}) — {s.Fix}.")
            .ToList();
        var suspicious = reject.Sources.Where(s => s.Class == SourceClass.Suspicious).ToList();
        if (suspicious.Count > 0)
        {
            var failing = suspicious.Sum(s => s.Failing);
            actions.Add($"{suspicious.Count} suspicious source(s) sent {failing} failing message(s) ({string.Join(", ", suspicious.Take(5).Select(Describe))}{(suspicious.Count > 5 ? ", …" : string.Empty)}): this is the mail enforcement stops.");
        }

        if (reject.DaysWithData < options.MinimumDaysWithData)
        {
            actions.Add($"Keep collecting reports: {options.MinimumDaysWithData - reject.DaysWithData} more day(s) needed before enforcing.");
        }

        return actions;
    }

    private static string Describe(SourceSummary source) =>
        source.SourceIp + (source.Service ?? source.ReverseName) switch
        {
            null => string.Empty,
            var name => $" ({name})",
        };

    private static string Figures(PolicySimulation s) =>
        $"Under p={RfcName.Of(s.Policy.P)}, {s.WouldQuarantine + s.WouldReject} of {s.Messages} messages ({Percent(s.AffectedShare)}) from {s.Sources.Count(x => x.Failing > 0)} source(s) would be {(s.Policy.P == DmarcPolicy.Reject ? "rejected or quarantined" : "quarantined")}.";

    private static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
