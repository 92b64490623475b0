using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Core.Tests.Reporting;

public class SourceIpMaskingTests
{
    [Theory]
    [InlineData("10.0.0.1", "0.0.0.0")]
    [InlineData("172.16.5.4", "0.0.0.0")]
    [InlineData("172.32.0.1", "172.32.0.1")]
    [InlineData("192.168.1.1", "0.0.0.0")]
    [InlineData("127.0.0.1", "0.0.0.0")]
    [InlineData("100.64.0.1", "0.0.0.0")]
    [InlineData("100.128.0.1", "100.128.0.1")]
    [InlineData("169.254.1.1", "0.0.0.0")]
    [InlineData("192.0.2.10", "0.0.0.0")]
    [InlineData("224.0.0.1", "0.0.0.0")]
    [InlineData("8.8.4.4", "8.8.4.4")]
    [InlineData("::1", "::")]
    [InlineData("fe80::1", "::")]
    [InlineData("fd12:3456::1", "::")]
    [InlineData("2001:db8::25", "::")]
    [InlineData("::ffff:10.0.0.1", "0.0.0.0")]
    [InlineData("2a00:1450:4001::1", "2a00:1450:4001::1")]
    public void Reserved_addresses_are_replaced_by_the_unspecified_address(string ip, string expected) =>
        Assert.Equal(expected, SourceIpMasking.Mask(ip));
}
