using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Core.Tests.Rollout;

/// <summary>The simulator and the advisor over a synthetic fortnight whose answers are counted by hand below.</summary>
public class PolicySimulatorTests
{
    private static readonly DateOnly From = new(2026, 11, 1);
    private static readonly DateOnly To = new(2026, 11, 14);

    private static DateOnly Day(int n) => From.AddDays(n);

    /// <summary>
    /// A: own server, 100/day for 14 days, all aligned DKIM: compliant, 1400.
    /// B: an ESP ("Mailgun"), 10 passing + 1 failing (DKIM passes for the ESP's domain) per day: legitimate, 154 (14 failing).
    /// C: a spoofer, one day, 50 failing, SPF passes for its own domain: suspicious (one weak sign only).
    /// D: 2/day for 5 days, failing, SPF passes for another MAIL FROM: legitimate (steady + SPF unaligned), 10 failing.
    /// E: sub.example.com, one day, 20 failing, nothing passes: suspicious, governed by sp.
    /// F: nx.example.com (does not exist), one day, 5 failing: suspicious, governed by np.
    /// Outside the window (Oct 31) and another domain: ignored.
    /// </summary>
    private static List<TrafficRow> Fortnight(bool withLegitimateFailures = true)
    {
        var rows = new List<TrafficRow>();
        for (var d = 0; d < 14; d++)
        {
            rows.Add(new TrafficRow(Day(d), "192.0.2.1", "example.com", 100, DkimPass: true, DkimAligned: true, SpfPass: true, SpfAligned: false));
            rows.Add(new TrafficRow(Day(d), "192.0.2.2", "example.com", 10, true, true, true, false, Service: "Mailgun"));
            if (withLegitimateFailures)
            {
                rows.Add(new TrafficRow(Day(d), "192.0.2.2", "example.com", 1, DkimPass: true, DkimAligned: false, SpfPass: false, SpfAligned: false, Service: "Mailgun"));
            }
        }

        rows.Add(new TrafficRow(Day(3), "203.0.113.5", "example.com", 50, false, false, SpfPass: true, SpfAligned: false));
        if (withLegitimateFailures)
        {
            for (var d = 0; d < 5; d++)
            {
                rows.Add(new TrafficRow(Day(d), "198.51.100.9", "example.com", 2, false, false, SpfPass: true, SpfAligned: false, ReverseName: "relay.partner.example"));
            }
        }

        rows.Add(new TrafficRow(Day(7), "192.0.2.3", "sub.example.com", 20, false, false, false, false));
        rows.Add(new TrafficRow(Day(8), "203.0.113.77", "nx.example.com", 5, false, false, false, false));
        rows.Add(new TrafficRow(From.AddDays(-1), "203.0.113.5", "example.com", 1000, false, false, false, false));
        rows.Add(new TrafficRow(Day(2), "203.0.113.5", "other.example", 1000, false, false, false, false));
        return rows;
    }

    [Fact]
    public void Reject_with_sp_and_np_counts_each_message_under_the_tag_that_governs_it()
    {
        var policy = new SimulatedPolicy(DmarcPolicy.Reject, Sp: DmarcPolicy.Quarantine, Np: DmarcPolicy.Reject, NonExistentSubdomains: new HashSet<string> { "nx.example.com" });
        var s = PolicySimulator.Simulate("example.com", Fortnight(), policy, From, To);

        Assert.Equal(1400 + 154 + 50 + 10 + 20 + 5, s.Messages);
        Assert.Equal(14 + 50 + 10 + 20 + 5, s.Failing);
        Assert.Equal(14 + 50 + 10 + 5, s.WouldReject);
        Assert.Equal(20, s.WouldQuarantine);
        Assert.Equal(new Dictionary<string, long> { ["p"] = 74, ["sp"] = 20, ["np"] = 5 }, s.FailingByTag);
        Assert.Equal(14, s.DaysWithData);
        Assert.Equal(99.0 / 1639, s.AffectedShare, 10);

        Assert.Equal(["203.0.113.5", "192.0.2.3", "192.0.2.2", "198.51.100.9", "203.0.113.77", "192.0.2.1"], s.Sources.Select(x => x.SourceIp));
        var classes = s.Sources.ToDictionary(x => x.SourceIp, x => x.Class);
        Assert.Equal(SourceClass.Compliant, classes["192.0.2.1"]);
        Assert.Equal(SourceClass.Legitimate, classes["192.0.2.2"]);
        Assert.Equal(SourceClass.Suspicious, classes["203.0.113.5"]);
        Assert.Equal(SourceClass.Legitimate, classes["198.51.100.9"]);
        Assert.Equal(SourceClass.Suspicious, classes["192.0.2.3"]);
        Assert.Equal(SourceClass.Suspicious, classes["203.0.113.77"]);

        Assert.Equal(1400 + 154 + 10, s.LegitimateMessages);
        Assert.Equal(14 + 10, s.LegitimateFailing);
        var esp = s.Sources.Single(x => x.SourceIp == "192.0.2.2");
        Assert.Equal(["known sending service Mailgun", "DKIM passes but for another domain (not aligned)", "140 of its 154 messages pass DMARC", "sends steadily (14 days)"], esp.Reasons);
        Assert.Contains("d=example.com", esp.Fix, StringComparison.Ordinal);
        Assert.Equal(["sends steadily (5 days)", "SPF passes but for another MAIL FROM domain (not aligned)"], s.Sources.Single(x => x.SourceIp == "198.51.100.9").Reasons);
    }

    [Fact]
    public void Without_sp_and_np_everything_below_the_domain_follows_p()
    {
        var s = PolicySimulator.Simulate("example.com", Fortnight(), new SimulatedPolicy(DmarcPolicy.Quarantine), From, To);

        Assert.Equal(99, s.WouldQuarantine);
        Assert.Equal(0, s.WouldReject);
        Assert.Equal(new Dictionary<string, long> { ["p"] = 99, ["sp"] = 0, ["np"] = 0 }, s.FailingByTag);
    }

    [Fact]
    public void The_advisor_holds_while_legitimate_mail_fails_above_the_threshold_and_names_the_sources()
    {
        var current = DmarcRecord.Parse("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com").Record;
        var advice = RolloutAdvisor.Advise("example.com", current, Fortnight(), From, To);

        Assert.Equal(RolloutStage.RejectTesting, advice.Stage);
        Assert.Equal(RolloutDecision.Hold, advice.Decision);
        Assert.False(advice.ReadyForReject);
        Assert.False(advice.ReadyForQuarantine);
        Assert.Null(advice.NextStep);
        Assert.Equal(0.005, advice.Threshold);
        Assert.Contains("1.53% of legitimate-looking mail (24 of 1564 messages)", advice.Explanation, StringComparison.Ordinal);
        Assert.StartsWith("192.0.2.2 (Mailgun): 14 of 154 messages fail", advice.Actions[0], StringComparison.Ordinal);
        Assert.StartsWith("198.51.100.9 (relay.partner.example): 10 of 10 messages fail", advice.Actions[1], StringComparison.Ordinal);
        Assert.StartsWith("3 suspicious source(s) sent 75 failing message(s)", advice.Actions[2], StringComparison.Ordinal);
    }

    [Fact]
    public void The_advisor_advances_to_reject_once_only_spoofing_fails()
    {
        var current = DmarcRecord.Parse("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com").Record;
        var advice = RolloutAdvisor.Advise("example.com", current, Fortnight(withLegitimateFailures: false), From, To);

        Assert.Equal(RolloutDecision.Advance, advice.Decision);
        Assert.True(advice.ReadyForReject);
        Assert.Equal("v=DMARC1; p=reject; rua=mailto:d@example.com", advice.NextStep!.DmarcRecord);
        Assert.Equal(2, advice.NextStep.PctRamp.Count);
        Assert.Contains("Ready: 0% of legitimate-looking mail fails DMARC, below the 0.5% threshold over 14 days", advice.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_steps_are_advised_at_once_because_they_change_no_delivery()
    {
        var current = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:d@example.com").Record;
        var advice = RolloutAdvisor.Advise("example.com", current, Fortnight(), From, To);

        Assert.Equal(RolloutDecision.Advance, advice.Decision);
        Assert.Equal("v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:d@example.com", advice.NextStep!.DmarcRecord);
        Assert.False(advice.ReadyForQuarantine);
    }

    [Fact]
    public void Too_few_days_of_reports_is_not_ready_however_clean_they_are()
    {
        var current = DmarcRecord.Parse("v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:d@example.com").Record;
        var advice = RolloutAdvisor.Advise("example.com", current, Fortnight(withLegitimateFailures: false), From, From.AddDays(2));

        Assert.Equal(RolloutDecision.Hold, advice.Decision);
        Assert.Contains("reports cover 3 day(s); at least 14 are needed", advice.Explanation, StringComparison.Ordinal);
        Assert.Contains(advice.Actions, a => a.StartsWith("Keep collecting reports: 11 more day(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void No_record_starts_with_the_starter_and_reject_is_done()
    {
        Assert.Equal(RolloutDecision.Start, RolloutAdvisor.Advise("example.com", null, [], From, To, "rua@reports.example.net").Decision);
        var done = RolloutAdvisor.Advise("example.com", DmarcRecord.Parse("v=DMARC1; p=reject; rua=mailto:d@example.com").Record, Fortnight(), From, To);
        Assert.Equal(RolloutDecision.Done, done.Decision);
    }
}
