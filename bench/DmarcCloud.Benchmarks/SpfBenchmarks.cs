using System.Globalization;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using DmarcCloud.Azure.Dns;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// SPF check_host() throughput with a warm cache over a realistic include tree: a domain that includes three
/// mail providers, one of them nested two levels deep over ~60 ip4/ip6 networks (the shape of large ESP records).
/// "DnsClientWarm" runs over <see cref="DnsClientResolver"/> whose cache a real UDP server filled first;
/// "Zone" runs over the in-memory <see cref="DnsZone"/> (no cache code at all) as the floor.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SpfBenchmarks
{
    private static readonly IPAddress LastNetblock = IPAddress.Parse("172.16.59.7"); // matches deep in the tree
    private static readonly IPAddress Unlisted = IPAddress.Parse("203.0.113.9"); // walks the whole tree, then -all

    private TestDnsServer? _server;
    private SpfEvaluator _overZone = null!;
    private SpfEvaluator _overDnsClient = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var zone = IncludeTree();
        _overZone = new SpfEvaluator(zone);
        _server = TestDnsServer.Start(zone);
        _server.Ttl = 86_400;
        var resolver = new DnsClientResolver(new DnsClientResolverOptions { Servers = [_server.EndPoint], MaximumTtl = TimeSpan.FromDays(1) });
        _overDnsClient = new SpfEvaluator(resolver);

        // Warm the cache with both paths, and check the tree gives the results the benchmarks claim.
        Expect(SpfResult.Pass, await _overDnsClient.CheckMailFromAsync(LastNetblock, "user@example.com", "mail.example.com"));
        Expect(SpfResult.Fail, await _overDnsClient.CheckMailFromAsync(Unlisted, "user@example.com", "mail.example.com"));
        Expect(SpfResult.Pass, await _overZone.CheckMailFromAsync(LastNetblock, "user@example.com", "mail.example.com"));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true)]
    public Task<SpfCheckResult> Pass_deep_include_Zone() => _overZone.CheckMailFromAsync(LastNetblock, "user@example.com", "mail.example.com");

    [Benchmark]
    public Task<SpfCheckResult> Pass_deep_include_DnsClientWarm() => _overDnsClient.CheckMailFromAsync(LastNetblock, "user@example.com", "mail.example.com");

    [Benchmark]
    public Task<SpfCheckResult> Fail_whole_tree_DnsClientWarm() => _overDnsClient.CheckMailFromAsync(Unlisted, "user@example.com", "mail.example.com");

    [Benchmark]
    public SpfRecordParseResult Parse_record() =>
        SpfRecord.Parse("v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a:mail.%{d} mx/24 include:_spf.example.net exists:%{ir}.%{v}._spf.%{d2} -all exp=exp.%{d}");

    private static void Expect(SpfResult expected, SpfCheckResult actual)
    {
        if (actual.Result != expected)
        {
            throw new InvalidOperationException($"benchmark tree gives {actual.Result}, expected {expected}: {actual.Explanation}");
        }
    }

    private static DnsZone IncludeTree()
    {
        var zone = new DnsZone()
            .AddTxt("example.com", "v=spf1 mx include:_spf.provider-a.example include:spf.provider-b.example include:sendgrid.provider-c.example -all")
            .AddMx("example.com", 10, "mx1.example.com")
            .AddMx("example.com", 20, "mx2.example.com")
            .AddAddress("mx1.example.com", IPAddress.Parse("192.0.2.10"))
            .AddAddress("mx2.example.com", IPAddress.Parse("192.0.2.11"))
            .AddTxt("_spf.provider-a.example", "v=spf1 include:_netblocks.provider-a.example include:_netblocks2.provider-a.example include:_netblocks3.provider-a.example ~all")
            .AddTxt("spf.provider-b.example", "v=spf1 ip4:198.51.100.0/24 ip4:198.51.101.0/24 ip6:2001:db8:b::/48 -all")
            .AddTxt("sendgrid.provider-c.example", "v=spf1 ip4:100.64.0.0/16 ip4:100.65.0.0/16 ~all");
        zone.AddTxt("_netblocks.provider-a.example", Netblocks(0, 20, ipv6: false));
        zone.AddTxt("_netblocks2.provider-a.example", Netblocks(20, 20, ipv6: true));
        zone.AddTxt("_netblocks3.provider-a.example", Netblocks(40, 20, ipv6: false));
        return zone;
    }

    /// <summary>A record of <paramref name="count"/> networks split into 255-octet character-strings, as large ESPs publish.</summary>
    private static TxtRecord Netblocks(int first, int count, bool ipv6)
    {
        var text = new StringBuilder("v=spf1");
        for (var i = first; i < first + count; i++)
        {
            text.Append(ipv6
                ? string.Create(CultureInfo.InvariantCulture, $" ip6:2001:db8:{i:x}::/48")
                : string.Create(CultureInfo.InvariantCulture, $" ip4:172.16.{i}.0/24"));
        }

        text.Append(" ~all");
        var s = text.ToString();
        return new TxtRecord(s.Chunk(255).Select(c => new string(c)).ToArray());
    }
}
