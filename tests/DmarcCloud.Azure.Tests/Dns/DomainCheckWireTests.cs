using DmarcCloud.Azure.Dns;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;

namespace DmarcCloud.Azure.Tests.Dns;

/// <summary>The domain checker over real DNS: DnsClientResolver asking <see cref="TestDnsServer"/> on 127.0.0.1.</summary>
public sealed class DomainCheckWireTests
{
    private static DnsZone Zone() => ZoneFileParser.Parse(
        """
        $ORIGIN example.com.
        @        SOA ns hostmaster 1 3600 600 86400 60
        @        TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.example.com a:gone.example.com -all"
        _spf     TXT "v=spf1 ip4:198.51.100.0/24 ~all"
        _dmarc   TXT "v=DMARC1; p=quarantine; pct=25; rua=mailto:rua@reports.example.net"
        sel._domainkey TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        """).Zone;

    private static DnsClientResolver Resolver(TestDnsServer server, TimeSpan timeout) => new(new DnsClientResolverOptions
    {
        Servers = [server.EndPoint],
        Timeout = timeout,
        Retries = 0,
    });

    [Fact]
    public async Task Findings_over_the_wire_are_the_findings_of_the_offline_zone()
    {
        var zone = Zone();
        await using var server = TestDnsServer.Start(zone);
        var options = new DomainCheckOptions { WellKnownSelectors = ["google"] };

        var wire = await new DomainChecker(Resolver(server, TimeSpan.FromSeconds(5)), options).CheckAsync("example.com", ["sel"]);
        var offline = await new DomainChecker(zone, options).CheckAsync("example.com", ["sel"]);

        Assert.Equal(offline.Findings.Select(f => (f.Code, f.Message)), wire.Findings.Select(f => (f.Code, f.Message)));
        Assert.Contains(wire.Findings, f => f.Code == "dmarc.external-unauthorized");
        Assert.Contains(wire.Findings, f => f.Code == "dmarc.historic-pct");
        Assert.Equal(2, wire.Spf.DnsLookups);
        Assert.Equal(1, wire.Spf.VoidLookups); // gone.example.com: NXDOMAIN for A and AAAA
        Assert.Equal(256, Assert.Single(wire.Dkim).KeyBits);
        Assert.True(server.UdpQueries > 0);
    }

    [Fact]
    public async Task A_server_that_never_answers_gives_temperror_findings_not_missing_records()
    {
        await using var server = TestDnsServer.Start(Zone());
        server.Behavior = TestDnsServerBehavior.Drop;
        var options = new DomainCheckOptions { WellKnownSelectors = [] };

        // A short timeout: timing out is the point of this test.
        var report = await new DomainChecker(Resolver(server, TimeSpan.FromMilliseconds(400)), options).CheckAsync("example.com", ["sel"]);

        Assert.Equal(DmarcPolicyLookupStatus.TempError, report.Dmarc.Status);
        var dmarc = Assert.Single(report.Findings, f => f.Code == "dmarc.temperror");
        Assert.Equal(FindingSeverity.Error, dmarc.Severity);
        Assert.Contains("timeout", dmarc.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == "spf.temperror");
        Assert.Contains(report.Findings, f => f.Code == "dkim.temperror");
        Assert.DoesNotContain(report.Findings, f => f.Code is "dmarc.missing" or "spf.missing" or "dkim.missing-key");
        Assert.All(report.Answers, a => Assert.Equal(DnsResultStatus.TemporaryFailure, a.Status));
        Assert.True(report.HasErrors);
    }

    [Fact]
    public async Task A_servfail_on_the_policy_name_only_leaves_the_rest_of_the_check_intact()
    {
        var zone = Zone().AddTemporaryFailure("_dmarc.example.com", DnsRecordType.Txt, "SERVFAIL");
        await using var server = TestDnsServer.Start(zone);

        var report = await new DomainChecker(Resolver(server, TimeSpan.FromSeconds(5)), new DomainCheckOptions { WellKnownSelectors = [] }).CheckAsync("example.com", ["sel"]);

        Assert.Contains(report.Findings, f => f.Code == "dmarc.temperror");
        Assert.DoesNotContain(report.Findings, f => f.Code == "dmarc.missing");
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 include:_spf.example.com a:gone.example.com -all", report.Spf.Record);
        Assert.Equal(DmarcCloud.Core.Dkim.DkimKeyLookupStatus.Found, Assert.Single(report.Dkim).Status);
    }
}
