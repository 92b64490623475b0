using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests;

public class RfcNameTests
{
    [Fact]
    public void Spf_results_use_rfc7208_and_rfc8601_tokens() =>
        Assert.Equal(
            ["none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"],
            Enum.GetValues<SpfResult>().Select(RfcName.Of));

    [Fact]
    public void Dkim_arc_and_dmarc_results_use_rfc8601_tokens()
    {
        Assert.Equal(["none", "pass", "fail", "neutral", "policy", "temperror", "permerror"], Enum.GetValues<DkimResult>().Select(RfcName.Of));
        Assert.Equal(["none", "pass", "fail"], Enum.GetValues<ArcChainStatus>().Select(RfcName.Of));
        Assert.Equal(["none", "pass", "fail", "temperror", "permerror"], Enum.GetValues<DmarcResult>().Select(RfcName.Of));
    }

    [Fact]
    public void Override_reasons_use_rfc9990_snake_case() =>
        Assert.Equal(
            ["forwarded", "sampled_out", "trusted_forwarder", "mailing_list", "local_policy", "policy_test_mode", "other"],
            Enum.GetValues<PolicyOverrideType>().Select(RfcName.Of));

    [Theory]
    [InlineData("softfail", SpfResult.SoftFail)]
    [InlineData("SoftFail", SpfResult.SoftFail)]
    [InlineData("TEMPERROR", SpfResult.TempError)]
    public void Tokens_parse_case_insensitively(string text, SpfResult expected)
    {
        Assert.True(RfcName.TryParse<SpfResult>(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("sampled_out")]
    [InlineData("sampledout")]
    public void Override_reasons_parse_with_or_without_underscores(string text)
    {
        Assert.True(RfcName.TryParse<PolicyOverrideType>(text, out var value));
        Assert.Equal(PolicyOverrideType.SampledOut, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hardfail")]
    [InlineData(null)]
    public void Unknown_tokens_do_not_parse(string? text) => Assert.False(RfcName.TryParse<SpfResult>(text, out _));

    [Fact]
    public void A_value_outside_the_enum_is_a_programmer_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RfcName.Of((SpfResult)99));
}
