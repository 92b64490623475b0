using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Core.Tests.Reporting;

public class ReportUriListTests
{
    [Theory]
    [InlineData("mailto:dmarc@example.com", "dmarc@example.com", "example.com")]
    [InlineData("mailto:dmarc@Example.COM!10m", "dmarc@example.com", "example.com")]
    [InlineData(" mailto:rua%2Bx@reports.example.net ", "rua+x@reports.example.net", "reports.example.net")]
    [InlineData("MAILTO:a@b.example?subject=x", "a@b.example", "b.example")]
    public void Mailto_uris_become_destinations(string uri, string address, string domain)
    {
        var destination = Assert.Single(ReportUriList.Parse([uri]).Destinations);
        Assert.Equal(address, destination.Address);
        Assert.Equal(domain, destination.Domain);
    }

    [Theory]
    [InlineData("https://reports.example.net/dmarc")]
    [InlineData("mailto:")]
    [InlineData("mailto:nobody")]
    [InlineData("mailto:a@b.example,c@d.example")]
    public void Other_uris_are_recorded_as_unsupported(string uri)
    {
        var list = ReportUriList.Parse([uri]);
        Assert.Empty(list.Destinations);
        Assert.Equal(uri, Assert.Single(list.Unsupported));
    }

    [Fact]
    public void Duplicates_are_sent_once() =>
        Assert.Single(ReportUriList.Parse(["mailto:d@example.com", "mailto:d@example.com!5m"]).Destinations);
}
