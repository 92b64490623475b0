using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests.Reporting.Failure;

/// <summary>RFC 9989 §4.7 / RFC 9991 §2: when each <c>fo</c> option asks for a report.</summary>
public sealed class FailureReportTriggersTests
{
    public enum Scenario
    {
        /// <summary>DMARC fail: SPF fail (unaligned), DKIM fail (aligned d=).</summary>
        AllFail,

        /// <summary>DMARC pass by aligned SPF; the only signature fails.</summary>
        SpfAlignedDkimFails,

        /// <summary>DMARC pass by aligned DKIM; SPF fails for an unaligned MAIL FROM.</summary>
        DkimAlignedSpfFails,

        /// <summary>DMARC pass by aligned DKIM; a third party's signature fails (unaligned), SPF neutral.</summary>
        UnalignedSignatureFails,

        /// <summary>Both aligned and passing.</summary>
        AllPass,
    }

    [Theory]
    //         fo       scenario                          expected fo tokens that fire
    [InlineData("0",     Scenario.AllFail,                 "0")]
    [InlineData("1",     Scenario.AllFail,                 "1")]
    [InlineData("d",     Scenario.AllFail,                 "d")]
    [InlineData("s",     Scenario.AllFail,                 "s")]
    [InlineData("0:1:d:s", Scenario.AllFail,               "0:1:d:s")]
    [InlineData("0",     Scenario.SpfAlignedDkimFails,     "")]
    [InlineData("1",     Scenario.SpfAlignedDkimFails,     "1")]
    [InlineData("d",     Scenario.SpfAlignedDkimFails,     "d")]
    [InlineData("s",     Scenario.SpfAlignedDkimFails,     "")]
    [InlineData("0",     Scenario.DkimAlignedSpfFails,     "")]
    [InlineData("1",     Scenario.DkimAlignedSpfFails,     "1")]
    [InlineData("d",     Scenario.DkimAlignedSpfFails,     "")]
    [InlineData("s",     Scenario.DkimAlignedSpfFails,     "s")]
    [InlineData("d",     Scenario.UnalignedSignatureFails, "d")]
    [InlineData("0",     Scenario.UnalignedSignatureFails, "")]
    [InlineData("1",     Scenario.UnalignedSignatureFails, "1")]
    [InlineData("s",     Scenario.UnalignedSignatureFails, "")]
    [InlineData("0:1:d:s", Scenario.AllPass,               "")]
    public void Each_fo_option_fires_on_its_own_condition(string fo, Scenario scenario, string expected)
    {
        var policy = FailureVerdicts.Policy(fo);
        var verdict = scenario switch
        {
            Scenario.AllFail => FailureVerdicts.Make(policy),
            Scenario.SpfAlignedDkimFails => FailureVerdicts.Make(policy, spf: SpfResult.Pass, spfDomain: "example.com", spfAligned: true),
            Scenario.DkimAlignedSpfFails => FailureVerdicts.Make(policy, dkim: DkimResult.Pass, dkimAligned: true),
            Scenario.UnalignedSignatureFails => FailureVerdicts.Make(policy, spf: SpfResult.Neutral, dkim: DkimResult.Fail, dkimDomain: "esp.example") with
            {
                Dkim =
                [
                    new DkimSignatureResult(DkimResult.Pass, "example.com", "s1", "rsa-sha256"),
                    new DkimSignatureResult(DkimResult.Fail, "esp.example", "s2", "rsa-sha256"),
                ],
                DkimAligned = true,
                Result = DmarcResult.Pass,
            },
            _ => FailureVerdicts.Make(policy, spf: SpfResult.Pass, spfDomain: "example.com", spfAligned: true, dkim: DkimResult.Pass, dkimAligned: true),
        };

        Assert.Equal(expected, string.Join(':', FailureReportTriggers.Evaluate(verdict)));
    }

    [Fact]
    public void A_policy_without_fo_reports_only_when_everything_fails()
    {
        var policy = FailureVerdicts.Policy() with { Fo = null };
        Assert.Equal(FailureReportOptions.AllFail, FailureReportTriggers.Due(FailureVerdicts.Make(policy)));
        Assert.Equal(FailureReportOptions.None, FailureReportTriggers.Due(FailureVerdicts.Make(policy, dkim: DkimResult.Pass, dkimAligned: true)));
    }

    [Fact]
    public void Ruf_of_a_psd_record_is_ignored()
    {
        Assert.Equal(FailureReportOptions.None, FailureReportTriggers.Due(FailureVerdicts.Make(FailureVerdicts.Policy("1", psd: PsdFlag.Yes))));
        Assert.NotEqual(FailureReportOptions.None, FailureReportTriggers.Due(FailureVerdicts.Make(FailureVerdicts.Policy("1", psd: PsdFlag.No))));
    }

    [Theory]
    [InlineData(DmarcResult.TempError)]
    [InlineData(DmarcResult.PermError)]
    [InlineData(DmarcResult.None)]
    public void Unknown_outcomes_never_ask_for_a_report(DmarcResult result) =>
        Assert.Equal(FailureReportOptions.None, FailureReportTriggers.Due(FailureVerdicts.Make(FailureVerdicts.Policy("0:1:d:s"), result: result)));

    [Fact]
    public void No_ruf_no_report() =>
        Assert.Equal(FailureReportOptions.None, FailureReportTriggers.Due(FailureVerdicts.Make(FailureVerdicts.Policy("1", ruf: ""))));

    [Theory]
    [InlineData(DkimResult.Fail, true)]
    [InlineData(DkimResult.PermError, true)]
    [InlineData(DkimResult.TempError, false)]
    [InlineData(DkimResult.Neutral, false)]
    [InlineData(DkimResult.None, false)]
    public void Fo_d_counts_fail_and_permerror_as_a_failed_evaluation(DkimResult result, bool fires) =>
        Assert.Equal(fires, FailureReportTriggers.Due(FailureVerdicts.Make(FailureVerdicts.Policy("d"), dkim: result)) == FailureReportOptions.DkimFail);

    [Theory]
    [InlineData("v=DMARC1; p=none", FailureReportOptions.AllFail, false)]
    [InlineData("v=DMARC1; p=none; fo=0", FailureReportOptions.AllFail, true)]
    [InlineData("v=DMARC1; p=none; fo=1", FailureReportOptions.AnyFail, true)]
    [InlineData("v=DMARC1; p=none; fo=1:d", FailureReportOptions.AnyFail | FailureReportOptions.DkimFail, true)]
    [InlineData("v=DMARC1; p=none; fo = D : S ", FailureReportOptions.DkimFail | FailureReportOptions.SpfFail, true)]
    [InlineData("v=DMARC1; p=none; fo=0:1:d:s", FailureReportOptions.AllFail | FailureReportOptions.AnyFail | FailureReportOptions.DkimFail | FailureReportOptions.SpfFail, true)]
    [InlineData("v=DMARC1; p=none; fo=x", FailureReportOptions.AllFail, false)]
    [InlineData("v=DMARC1; p=none; fo=1:x", FailureReportOptions.AllFail, false)]
    [InlineData("v=DMARC1; p=none; fo=", FailureReportOptions.AllFail, false)]
    public void The_record_parses_fo_once_into_flags(string text, FailureReportOptions expected, bool published)
    {
        var record = DmarcRecord.Parse(text).Record!;
        Assert.Equal(expected, record.FailureOptions);
        Assert.Equal(published, record.FoPublished);
        Assert.Equal(expected, record.ToPublishedPolicy("example.com", DiscoveryMethod.TreeWalk).FailureOptions);
    }

    [Fact]
    public void Ruf_size_suffixes_are_accepted_and_kept_as_a_limit()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; ruf=mailto:ruf@example.com!10k,mailto:big@example.com!10m,https://x.example/ruf").Record!;
        var list = ReportUriList.Parse(record.ToPublishedPolicy("example.com", DiscoveryMethod.TreeWalk).Ruf);
        Assert.Equal([10L * 1024, 10L * 1024 * 1024], list.Destinations.Select(d => d.MaxSizeBytes!.Value));
        Assert.Equal(["ruf@example.com", "big@example.com"], list.Destinations.Select(d => d.Address));
        Assert.Equal(["https://x.example/ruf"], list.Unsupported);
    }
}
