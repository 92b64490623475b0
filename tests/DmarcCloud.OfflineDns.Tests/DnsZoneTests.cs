using System.Net;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.OfflineDns.Tests;

public class DnsZoneTests
{
    private static DnsZone Zone() => new DnsZone()
        .AddTxt("example.com", new TxtRecord(["v=spf1 ", "-all"]))
        .AddAddress("mail.example.com", IPAddress.Parse("192.0.2.1"))
        .AddName("alias.example.com", DnsRecordType.Cname, "mail.example.com.")
        .AddTxt("*.wild.example.com", "wildcard")
        .AddTxt("deep.below.empty.example.com", "x")
        .AddTemporaryFailure("slow.example.com");

    [Fact]
    public async Task Txt_strings_are_kept_and_joined_without_separator()
    {
        var result = await Zone().LookupTxtAsync("Example.COM.");
        Assert.Equal(DnsResultStatus.Success, result.Status);
        Assert.Equal(["v=spf1 ", "-all"], result.Records[0].Strings);
        Assert.Equal("v=spf1 -all", result.Records[0].Text);
    }

    [Theory]
    [InlineData("nothere.example.com", DnsResultStatus.NxDomain)]
    [InlineData("mail.example.com", DnsResultStatus.NoData)]
    [InlineData("below.empty.example.com", DnsResultStatus.NoData)] // empty non-terminal
    [InlineData("slow.example.com", DnsResultStatus.TemporaryFailure)]
    [InlineData("x.wild.example.com", DnsResultStatus.Success)]
    [InlineData("a.b.wild.example.com", DnsResultStatus.Success)]
    public async Task Statuses_are_kept_apart(string name, DnsResultStatus expected)
    {
        var result = await Zone().LookupTxtAsync(name);
        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public async Task Cname_is_followed()
    {
        var result = await Zone().LookupAAsync("alias.example.com");
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(result.Records));
    }

    [Fact]
    public async Task Cname_loop_is_a_temporary_failure()
    {
        var zone = new DnsZone().AddName("a.test", DnsRecordType.Cname, "b.test").AddName("b.test", DnsRecordType.Cname, "a.test");
        var result = await zone.LookupTxtAsync("a.test");
        Assert.Equal(DnsResultStatus.TemporaryFailure, result.Status);
    }

    [Theory]
    [InlineData("192.0.2.5", "5.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void Reverse_names(string address, string expected) =>
        Assert.Equal(expected, DnsName.ReverseName(IPAddress.Parse(address)));
}
