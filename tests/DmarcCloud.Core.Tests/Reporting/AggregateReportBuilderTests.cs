using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests.Reporting;

public class AggregateReportBuilderTests
{
    [Fact]
    public async Task Messages_alike_in_every_reported_field_become_one_row_with_their_count()
    {
        var verdicts = Enumerable.Range(0, 500).Select(i => Verdicts.Pass(key: "m" + i))
            .Concat(Enumerable.Range(0, 7).Select(_ => Verdicts.Fail()))
            .Concat([Verdicts.Pass(ip: "2001:db8::1")]);

        var content = Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream(verdicts), Verdicts.Day));

        Assert.Equal(508, content.MessageCount);
        Assert.Equal(3, content.Rows.Count);
        Assert.Equal(500, content.Rows.Single(r => r.SourceIp == "198.51.100.7").Count);
        Assert.Equal(7, content.Rows.Single(r => r.SourceIp == "203.0.113.9").Count);
    }

    public static TheoryData<string, ReportableVerdict> Differences => new()
    {
        { "source ip", Verdicts.Pass(ip: "198.51.100.8") },
        { "header from", Verdicts.Pass(from: "mail.example.com") },
        { "disposition", Verdicts.Pass() with { Disposition = Disposition.Quarantine } },
        { "dkim alignment", Verdicts.Pass() with { DkimAligned = false } },
        { "spf alignment", Verdicts.Pass() with { SpfAligned = false } },
        { "reason", Verdicts.Pass() with { Overrides = [new PolicyOverrideReason(PolicyOverrideType.LocalPolicy)] } },
        { "envelope from", Verdicts.Pass() with { EnvelopeFrom = "bounces.example.com" } },
        { "envelope to", Verdicts.Pass() with { EnvelopeTo = "other-receiver.example" } },
        { "dkim result", Verdicts.Pass() with { Dkim = [new DkimSignatureResult(DkimResult.Fail, "example.com", "s1", "rsa-sha256")] } },
        { "dkim selector", Verdicts.Pass() with { Dkim = [new DkimSignatureResult(DkimResult.Pass, "example.com", "s2", "rsa-sha256")] } },
        { "spf result", Verdicts.Pass() with { Spf = new SpfCheckResult(SpfResult.SoftFail, SpfIdentity.MailFrom, "example.com") } },
        { "no spf", Verdicts.Pass() with { Spf = null } },
    };

    [Theory]
    [MemberData(nameof(Differences))]
    public async Task A_message_differing_in_a_reported_field_gets_its_own_row(string field, ReportableVerdict different)
    {
        var content = Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream([Verdicts.Pass(), Verdicts.Pass(), different]), Verdicts.Day));
        Assert.True(content.Rows.Count == 2, field);
        Assert.Equal(3, content.MessageCount);
    }

    [Fact]
    public async Task A_policy_change_during_the_day_gives_one_content_per_configuration()
    {
        var before = Verdicts.Policy(p: DmarcPolicy.None);
        var after = Verdicts.Policy(p: DmarcPolicy.Quarantine);
        var verdicts = new[] { Verdicts.Pass(policy: before, hour: 1), Verdicts.Pass(policy: before, hour: 2), Verdicts.Pass(policy: after, hour: 15) };

        var contents = await new AggregateReportBuilder().BuildAsync(Verdicts.Stream(verdicts), Verdicts.Day);

        Assert.Equal(2, contents.Count);
        Assert.Equal(2, contents.Single(c => c.Policy.P == DmarcPolicy.None).MessageCount);
        Assert.Equal(1, contents.Single(c => c.Policy.P == DmarcPolicy.Quarantine).MessageCount);
        Assert.NotEqual(contents[0].ConfigurationKey, contents[1].ConfigurationKey);
    }

    [Fact]
    public async Task The_same_policy_seen_in_separate_snapshots_is_one_configuration()
    {
        var contents = await new AggregateReportBuilder().BuildAsync(
            Verdicts.Stream([Verdicts.Pass(policy: Verdicts.Policy()), Verdicts.Pass(policy: Verdicts.Policy())]), Verdicts.Day);
        Assert.Equal(2, Assert.Single(contents).MessageCount);
    }

    [Theory]
    [InlineData(DmarcResult.Pass, Disposition.None, DmarcPolicy.Reject, "example.com", ReportDisposition.Pass)]
    [InlineData(DmarcResult.Pass, Disposition.None, DmarcPolicy.Quarantine, "example.com", ReportDisposition.Pass)]
    [InlineData(DmarcResult.Pass, Disposition.None, DmarcPolicy.None, "example.com", ReportDisposition.None)]
    [InlineData(DmarcResult.Fail, Disposition.None, DmarcPolicy.None, "example.com", ReportDisposition.None)]
    [InlineData(DmarcResult.Fail, Disposition.None, DmarcPolicy.Reject, "example.com", ReportDisposition.None)] // overridden
    [InlineData(DmarcResult.Fail, Disposition.Quarantine, DmarcPolicy.Quarantine, "example.com", ReportDisposition.Quarantine)]
    [InlineData(DmarcResult.Fail, Disposition.Reject, DmarcPolicy.Reject, "example.com", ReportDisposition.Reject)]
    [InlineData(DmarcResult.Pass, Disposition.None, DmarcPolicy.Reject, "sub.example.com", ReportDisposition.None)] // sp=none applies
    public void Disposition_pass_means_passing_under_an_enforcing_policy(DmarcResult result, Disposition applied, DmarcPolicy p, string from, ReportDisposition expected)
    {
        var verdict = Verdicts.Pass(from: from, policy: Verdicts.Policy(p: p, sp: DmarcPolicy.None)) with { Result = result, Disposition = applied };
        Assert.Equal(expected, AggregateReportBuilder.DispositionOf(verdict));
    }

    [Fact]
    public void At_most_100_dkim_results_aligned_passes_first()
    {
        var dkim = Enumerable.Range(0, 150).Select(i => new DkimSignatureResult(DkimResult.Fail, $"f{i}.example", "s", "rsa-sha256"))
            .Append(new DkimSignatureResult(DkimResult.Pass, "thirdparty.example", "s", "rsa-sha256"))
            .Append(new DkimSignatureResult(DkimResult.Pass, "example.com", "late", "rsa-sha256"))
            .ToList();

        var ordered = AggregateReportBuilder.OrderDkim(dkim, "news.example.com");

        Assert.Equal(AggregateReportBuilder.MaxDkimResultsPerRow, ordered.Count);
        Assert.Equal("late", ordered[0].Selector);
        Assert.Equal("thirdparty.example", ordered[1].Domain);
        Assert.Equal("f0.example", ordered[2].Domain);
    }

    [Fact]
    public async Task Masking_groups_reserved_sources_under_the_unspecified_address()
    {
        var verdicts = new[] { Verdicts.Pass(ip: "10.1.2.3"), Verdicts.Pass(ip: "192.168.7.7"), Verdicts.Pass(ip: "8.8.8.8"), Verdicts.Pass(ip: "fd00::5") };

        var masked = Assert.Single(await new AggregateReportBuilder(maskReservedSourceIps: true).BuildAsync(Verdicts.Stream(verdicts), Verdicts.Day));
        var plain = Assert.Single(await new AggregateReportBuilder().BuildAsync(Verdicts.Stream(verdicts), Verdicts.Day));

        Assert.Equal(["0.0.0.0", "8.8.8.8", "::"], masked.Rows.Select(r => r.SourceIp).Order(StringComparer.Ordinal));
        Assert.Equal(2, masked.Rows.Single(r => r.SourceIp == "0.0.0.0").Count);
        Assert.Equal(4, plain.Rows.Count);
    }

    [Fact]
    public async Task Input_order_does_not_change_the_result()
    {
        var verdicts = Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? Verdicts.Fail(ip: $"203.0.113.{i}") : Verdicts.Pass(ip: $"198.51.100.{i % 7}")).ToList();
        var builder = new AggregateReportBuilder();

        var a = Assert.Single(await builder.BuildAsync(Verdicts.Stream(verdicts), Verdicts.Day));
        var b = Assert.Single(await builder.BuildAsync(Verdicts.Stream(Enumerable.Reverse(verdicts)), Verdicts.Day));

        Assert.Equal(a.Rows.Select(r => (r.SourceIp, r.Count)), b.Rows.Select(r => (r.SourceIp, r.Count)));
    }
}
