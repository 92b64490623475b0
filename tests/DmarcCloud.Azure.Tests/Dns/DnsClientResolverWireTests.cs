using System.Net;
using DmarcCloud.Azure.Dns;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Azure.Tests.Dns;

/// <summary>DnsClientResolver against <see cref="TestDnsServer"/>: real UDP and TCP on 127.0.0.1.</summary>
public sealed class DnsClientResolverWireTests
{
    private static DnsZone Zone() => ZoneFileParser.Parse(
        """
        $ORIGIN example.com.
        @        SOA ns hostmaster 1 3600 600 86400 60
        @        TXT "v=spf1 a:mail.example.com " "mx -all"
        @        MX  10 mx
        mail     A   192.0.2.25
        mx       A   192.0.2.26
        mx       AAAA 2001:db8::26
        alias    CNAME mail
        alias2   CNAME alias
        nx       TXT "v=spf1 a:nx1.example.com +all"
        nodata   TXT "v=spf1 mx:mail.example.com +all"
        voids    TXT "v=spf1 a:nx1.example.com a:nx2.example.com mx:mail.example.com +all"
        big      TXT "v=spf1 ip4:192.0.2.0/24 -all" "pad-0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        big      TXT "pad-1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
        26.2.0.192.in-addr.arpa. PTR mx.example.com.
        """).Zone;

    // Answers are expected within a generous timeout (CI machines can be loaded); only tests whose
    // point is a timeout pass a short one.
    private static DnsClientResolver Resolver(TestDnsServer server, TimeProvider? time = null, int cacheSize = 100, TimeSpan? timeout = null) => new(new DnsClientResolverOptions
    {
        Servers = [server.EndPoint],
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        Retries = 0,
        CacheSize = cacheSize,
        TimeProvider = time ?? TimeProvider.System,
    });

    [Fact]
    public async Task Records_of_every_type_come_back_over_the_wire()
    {
        await using var server = TestDnsServer.Start(Zone());
        var dns = Resolver(server);

        var txt = await dns.LookupTxtAsync("example.com");
        Assert.Equal(["v=spf1 a:mail.example.com ", "mx -all"], Assert.Single(txt.Records).Strings);
        Assert.Equal([IPAddress.Parse("192.0.2.25")], (await dns.LookupAAsync("mail.example.com")).Records);
        Assert.Equal([IPAddress.Parse("2001:db8::26")], (await dns.LookupAaaaAsync("mx.example.com")).Records);
        Assert.Equal([new MxRecord(10, "mx.example.com")], (await dns.LookupMxAsync("example.com")).Records);
        Assert.Equal(["mx.example.com"], (await dns.LookupPtrAsync(IPAddress.Parse("192.0.2.26"))).Records);
    }

    [Fact]
    public async Task Cname_chains_are_followed_by_the_client()
    {
        await using var server = TestDnsServer.Start(Zone());
        var result = await Resolver(server).LookupAAsync("alias2.example.com");
        Assert.Equal([IPAddress.Parse("192.0.2.25")], result.Records);
        Assert.Equal(3, server.UdpQueries); // alias2 → alias → mail: the server answers one hop at a time
    }

    [Theory]
    [InlineData("nothere.example.com", DnsResultStatus.NxDomain)]
    [InlineData("mail.example.com", DnsResultStatus.NoData)]
    public async Task Nxdomain_and_nodata_are_kept_apart(string name, DnsResultStatus expected)
    {
        await using var server = TestDnsServer.Start(Zone());
        var result = await Resolver(server).LookupTxtAsync(name);
        Assert.Equal(expected, result.Status);
        Assert.True(result.IsVoid);
    }

    [Fact]
    public async Task A_name_dns_cannot_carry_is_nxdomain_not_an_exception()
    {
        await using var server = TestDnsServer.Start(Zone());
        var result = await Resolver(server).LookupTxtAsync(new string('a', 64) + ".example.com");
        Assert.Equal(DnsResultStatus.NxDomain, result.Status);
    }

    [Theory]
    [InlineData(TestDnsServerBehavior.Drop, "timeout")]
    [InlineData(TestDnsServerBehavior.ServFail, "ServerFailure")]
    [InlineData(TestDnsServerBehavior.Refused, "Refused")]
    public async Task Server_trouble_is_a_temporary_failure(TestDnsServerBehavior behavior, string error)
    {
        await using var server = TestDnsServer.Start(Zone());
        server.Behavior = behavior;
        var result = await Resolver(server).LookupTxtAsync("example.com");
        Assert.Equal(DnsResultStatus.TemporaryFailure, result.Status);
        Assert.Contains(error, result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Nothing_listening_is_a_temporary_failure()
    {
        var server = TestDnsServer.Start(Zone());
        var endPoint = server.EndPoint;
        await server.DisposeAsync();
        var dns = new DnsClientResolver(new DnsClientResolverOptions { Servers = [endPoint], Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        Assert.Equal(DnsResultStatus.TemporaryFailure, (await dns.LookupAAsync("mail.example.com")).Status);
    }

    [Theory]
    [InlineData(TestDnsServerBehavior.Drop)]
    [InlineData(TestDnsServerBehavior.ServFail)]
    public async Task Spf_over_a_failing_server_is_temperror(TestDnsServerBehavior behavior)
    {
        await using var server = TestDnsServer.Start(Zone());
        server.Behavior = behavior;
        var result = await new SpfEvaluator(Resolver(server, timeout: TimeSpan.FromMilliseconds(300))).CheckMailFromAsync(IPAddress.Parse("192.0.2.25"), "user@example.com", "mail.example.com");
        Assert.Equal(SpfResult.TempError, result.Result);
    }

    [Fact]
    public async Task Spf_passes_over_the_wire()
    {
        await using var server = TestDnsServer.Start(Zone());
        var result = await new SpfEvaluator(Resolver(server)).CheckMailFromAsync(IPAddress.Parse("192.0.2.26"), "user@example.com", "mail.example.com");
        Assert.Equal((SpfResult.Pass, "mx", 2), (result.Result, result.Mechanism, result.DnsLookups));
    }

    [Theory]
    [InlineData("nx.example.com", SpfResult.Pass, 1)] // NXDOMAIN
    [InlineData("nodata.example.com", SpfResult.Pass, 1)] // NOERROR, no MX: NODATA
    [InlineData("voids.example.com", SpfResult.PermError, 3)] // two NXDOMAIN and a NODATA: over the limit of 2
    public async Task Void_lookups_over_the_wire(string domain, SpfResult expected, int voids)
    {
        await using var server = TestDnsServer.Start(Zone());
        var result = await new SpfEvaluator(Resolver(server)).CheckMailFromAsync(IPAddress.Parse("198.51.100.1"), "user@" + domain, null);
        Assert.Equal(expected, result.Result);
        Assert.Equal(voids, result.VoidLookups);
    }

    [Fact]
    public async Task Truncated_udp_answers_are_retried_over_tcp()
    {
        await using var server = TestDnsServer.Start(Zone());
        server.TruncateUdp = true;
        var result = await Resolver(server).LookupTxtAsync("big.example.com");
        Assert.Equal(DnsResultStatus.Success, result.Status);
        Assert.Equal(2, result.Records.Count);
        Assert.Equal(1, server.UdpQueries);
        Assert.Equal(1, server.TcpQueries);
    }

    [Fact]
    public async Task Cache_honours_the_ttl()
    {
        await using var server = TestDnsServer.Start(Zone());
        server.Ttl = 120;
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var dns = Resolver(server, time);

        await dns.LookupAAsync("mail.example.com");
        await dns.LookupAAsync("MAIL.example.com.");
        Assert.Equal(1, server.UdpQueries);

        time.Advance(TimeSpan.FromSeconds(119));
        await dns.LookupAAsync("mail.example.com");
        Assert.Equal(1, server.UdpQueries);

        time.Advance(TimeSpan.FromSeconds(2));
        await dns.LookupAAsync("mail.example.com");
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task Negative_answers_are_cached_for_the_soa_minimum()
    {
        await using var server = TestDnsServer.Start(Zone()); // SOA MINIMUM 60, record TTL 300: RFC 2308 takes 60
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var dns = Resolver(server, time);

        Assert.Equal(DnsResultStatus.NxDomain, (await dns.LookupAAsync("nothere.example.com")).Status);
        Assert.Equal(DnsResultStatus.NoData, (await dns.LookupTxtAsync("mail.example.com")).Status);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(DnsResultStatus.NxDomain, (await dns.LookupAAsync("nothere.example.com")).Status);
        Assert.Equal(DnsResultStatus.NoData, (await dns.LookupTxtAsync("mail.example.com")).Status);
        Assert.Equal(2, server.UdpQueries);

        time.Advance(TimeSpan.FromSeconds(2));
        await dns.LookupAAsync("nothere.example.com");
        Assert.Equal(3, server.UdpQueries);
    }

    [Fact]
    public async Task Temporary_failures_are_not_cached()
    {
        await using var server = TestDnsServer.Start(Zone());
        server.Behavior = TestDnsServerBehavior.ServFail;
        var dns = Resolver(server);
        Assert.Equal(DnsResultStatus.TemporaryFailure, (await dns.LookupAAsync("mail.example.com")).Status);

        server.Behavior = TestDnsServerBehavior.Answer;
        Assert.Equal(DnsResultStatus.Success, (await dns.LookupAAsync("mail.example.com")).Status);
    }

    [Fact]
    public async Task Cache_size_is_bounded()
    {
        await using var server = TestDnsServer.Start(Zone());
        var dns = Resolver(server, cacheSize: 3);
        foreach (var name in new[] { "mail", "mx", "alias", "alias2", "nothere", "nx" })
        {
            await dns.LookupAAsync(name + ".example.com");
            Assert.InRange(dns.CachedCount, 0, 3);
        }
    }

    [Theory]
    [InlineData("192.0.2.53", "192.0.2.53:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    [InlineData("2001:db8::53", "[2001:db8::53]:53")]
    public void Servers_are_read_with_their_port(string text, string expected)
    {
        Assert.True(DnsClientResolverOptions.TryParseServer(text, out var endPoint));
        Assert.Equal(expected, endPoint!.ToString());
    }

    [Fact]
    public void Without_servers_the_system_resolvers_are_used()
    {
        Assert.NotEmpty(new DnsClientResolver().Servers);
    }
}
