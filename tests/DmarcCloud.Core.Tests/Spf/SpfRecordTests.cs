using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests.Spf;

public class SpfRecordTests
{
    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("V=SPF1 -all", true)]
    [InlineData("v=spf1-all", false)]
    [InlineData("v=spf10", false)]
    [InlineData("spf2.0/pra -all", false)]
    public void Record_selection(string text, bool isSpf) => Assert.Equal(isSpf, SpfRecord.IsSpfRecord(text));

    [Theory]
    [InlineData("v=spf1 +a -mx ~ptr ?all", 4)]
    [InlineData("v=spf1 a:%{d}.example.com/24//64 mx/30 ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.%{v}._spf.%{d2} include:_spf.example.net", 6)]
    [InlineData("v=spf1 unknown-mod=anything:here -all", 1)]
    [InlineData("v=spf1   -all   ", 1)]
    public void Valid_records_parse(string text, int mechanisms)
    {
        var result = SpfRecord.Parse(text);
        Assert.True(result.Success, result.Error);
        Assert.Equal(mechanisms, result.Record!.Mechanisms.Count);
    }

    [Fact]
    public void Parsed_terms_carry_their_arguments()
    {
        var record = SpfRecord.Parse("v=spf1 -a:mail.example.com/24//64 ip6:2001:db8::/32 redirect=_spf.example.com exp=explain.%{d}").Record!;
        var a = record.Mechanisms[0];
        Assert.Equal((SpfQualifier.Fail, SpfMechanismKind.A, "mail.example.com", 24, 64), (a.Qualifier, a.Kind, a.DomainSpec, a.Ip4Prefix, a.Ip6Prefix));
        Assert.Equal(32, record.Mechanisms[1].Ip6Prefix);
        Assert.Equal("_spf.example.com", record.Redirect);
        Assert.Equal("explain.%{d}", record.Explanation);
    }

    [Theory]
    [InlineData("v=spf1 foo")] // unknown mechanism
    [InlineData("v=spf1 ip4:192.0.2.300")]
    [InlineData("v=spf1 ip4:192.0.2.1/33")]
    [InlineData("v=spf1 ip4:1.2.3.4/032")] // leading zero
    [InlineData("v=spf1 ip6:::1//64")]
    [InlineData("v=spf1 a:example.com/0128")]
    [InlineData("v=spf1 include")]
    [InlineData("v=spf1 exists:%{x}.example.com")] // undefined macro letter
    [InlineData("v=spf1 a:%{d0}.example.com")] // DIGITS of zero
    [InlineData("v=spf1 a:example.123")] // numeric top label
    [InlineData("v=spf1 redirect=a.example.com redirect=b.example.com")]
    [InlineData("v=spf1 exp=a.example.com exp=b.example.com")]
    [InlineData("v=spf1 -all:foo")]
    [InlineData("v=spf1 a:ctrl.example.com\rptr")]
    [InlineData("v=spf1 mod/x=y")]
    [InlineData("v=spf1 %{c}.example.com=x")]
    public void Malformed_records_are_a_result_not_an_exception(string text)
    {
        var result = SpfRecord.Parse(text);
        Assert.False(result.Success);
        Assert.NotNull(result.Error);
    }
}
