using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Reporting;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Core.Tests.Reporting;

public class ExternalDestinationVerifierTests
{
    private static DnsZone Zone() => new DnsZone()
        .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@reports.example.com")
        .AddTemporaryFailure("_dmarc.orgdns-down.example", DnsRecordType.Txt)
        .AddTxt("example.com._report._dmarc.reports.example.net", "v=DMARC1")
        .AddTxt("*._report._dmarc.wildcard.example", "v=DMARC1;")
        .AddTxt("example.com._report._dmarc.notdmarc.example", "v=spf1 -all")
        .AddTxt("example.com._report._dmarc.lower.example", "v = DMARC1 ; rua=mailto:x@lower.example")
        .AddTemporaryFailure("example.com._report._dmarc.flaky.example", DnsRecordType.Txt);

    [Theory]
    [InlineData("example.com", "example.com", DestinationAuthorization.SameOrganization)]
    [InlineData("mail.example.com", "reports.example.com", DestinationAuthorization.SameOrganization)]
    [InlineData("example.com", "reports.example.net", DestinationAuthorization.Authorized)]
    [InlineData("example.com", "wildcard.example", DestinationAuthorization.Authorized)]
    [InlineData("example.com", "lower.example", DestinationAuthorization.Authorized)]
    [InlineData("example.com", "nobody.example", DestinationAuthorization.Unauthorized)]
    [InlineData("example.com", "notdmarc.example", DestinationAuthorization.Unauthorized)]
    [InlineData("example.com", "flaky.example", DestinationAuthorization.TemporaryFailure)]
    [InlineData("example.com", "orgdns-down.example", DestinationAuthorization.TemporaryFailure)]
    [InlineData("example.com", "sub.reports.example.net", DestinationAuthorization.Unauthorized)] // the record names reports.example.net only
    public async Task External_destinations_need_a_report_authorization_record(string policyDomain, string destination, DestinationAuthorization expected)
    {
        var zone = Zone();
        var verifier = new ExternalDestinationVerifier(zone, new DmarcOrganizationalDomainResolver(zone));
        var verification = await verifier.VerifyAsync(policyDomain, destination);
        Assert.True(expected == verification.Authorization, verification.Detail);
        Assert.Equal(expected is DestinationAuthorization.SameOrganization or DestinationAuthorization.Authorized, verification.MaySend);
    }
}
