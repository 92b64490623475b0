using System.Net;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Core.Tests.Spf;

public class SpfEvaluatorTests
{
    private static DnsZone Zone() => new DnsZone()
        .AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net mx -all exp=why.example.com")
        .AddTxt("why.example.com", "%{i} may not send for %{d} (checked by %{r} at %{t})")
        .AddTxt("_spf.example.net", new TxtRecord(["v=spf1 ip6:2001:db8::/32", " a:out.example.net ~all"]))
        .AddAddress("out.example.net", IPAddress.Parse("198.51.100.7"))
        .AddMx("example.com", 10, "mx.example.com")
        .AddAddress("mx.example.com", IPAddress.Parse("203.0.113.25"))
        .AddTxt("helo.example.com", "v=spf1 a -all")
        .AddAddress("helo.example.com", IPAddress.Parse("203.0.113.99"))
        .AddTxt("loop.example.com", "v=spf1 include:loop2.example.com -all")
        .AddTxt("loop2.example.com", "v=spf1 include:loop.example.com -all")
        .AddTxt("self.example.com", "v=spf1 redirect=self.example.com")
        .AddTxt("voids.example.com", "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com +all")
        .AddTxt("two.example.com", "v=spf1 -all")
        .AddTxt("two.example.com", "v=spf1 +all")
        .AddTxt("broken.example.com", "v=spf1 ip4:not-an-address -all")
        .AddTxt("slow.example.com", "v=spf1 a:dead.example.com -all")
        .AddTemporaryFailure("dead.example.com");

    [Theory]
    [InlineData("192.0.2.10", "user@example.com", SpfResult.Pass, "ip4:192.0.2.0/24", 0)]
    [InlineData("::ffff:192.0.2.10", "user@example.com", SpfResult.Pass, "ip4:192.0.2.0/24", 0)] // IPv4-mapped
    [InlineData("2001:db8::1", "user@example.com", SpfResult.Pass, "include:_spf.example.net", 1)]
    [InlineData("198.51.100.7", "user@example.com", SpfResult.Pass, "include:_spf.example.net", 2)]
    [InlineData("203.0.113.25", "user@example.com", SpfResult.Pass, "mx", 3)]
    [InlineData("203.0.113.1", "user@example.com", SpfResult.Fail, "-all", 3)]
    [InlineData("203.0.113.1", "user@nothing.example.org", SpfResult.None, null, 0)]
    [InlineData("203.0.113.1", "user@loop.example.com", SpfResult.PermError, "include:loop2.example.com", 11)]
    [InlineData("203.0.113.1", "user@self.example.com", SpfResult.PermError, "redirect=self.example.com", 11)]
    [InlineData("203.0.113.1", "user@voids.example.com", SpfResult.PermError, "a:n3.example.com", 3)]
    [InlineData("203.0.113.1", "user@two.example.com", SpfResult.PermError, null, 0)]
    [InlineData("203.0.113.1", "user@broken.example.com", SpfResult.PermError, null, 0)]
    [InlineData("203.0.113.1", "user@slow.example.com", SpfResult.TempError, "a:dead.example.com", 1)]
    public async Task Mail_from_checks(string ip, string mailFrom, SpfResult expected, string? mechanism, int lookups)
    {
        var result = await new SpfEvaluator(Zone()).CheckMailFromAsync(IPAddress.Parse(ip), mailFrom, "helo.example.com");
        Assert.Equal(expected, result.Result);
        Assert.Equal(mechanism, result.Mechanism);
        Assert.Equal(lookups, result.DnsLookups);
        Assert.Equal(SpfIdentity.MailFrom, result.Identity);
    }

    [Fact]
    public async Task Fail_explanation_expands_exp_macros_with_receiver_and_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var evaluator = new SpfEvaluator(Zone(), new SpfOptions { ReceivingHost = "mx.receiver.example", TimeProvider = clock });
        var result = await evaluator.CheckMailFromAsync(IPAddress.Parse("203.0.113.1"), "user@example.com", "helo.example.com");
        Assert.Equal(SpfResult.Fail, result.Result);
        Assert.Equal("203.0.113.1 may not send for example.com (checked by mx.receiver.example at 1800000000)", result.Explanation);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 include:_spf.example.net mx -all exp=why.example.com", result.Record);
        Assert.Equal("example.com", result.Domain);
    }

    [Fact]
    public async Task Empty_mail_from_is_checked_as_postmaster_at_helo()
    {
        var result = await new SpfEvaluator(Zone()).CheckMailFromAsync(IPAddress.Parse("203.0.113.99"), "", "helo.example.com");
        Assert.Equal((SpfResult.Pass, SpfIdentity.MailFrom, "helo.example.com"), (result.Result, result.Identity, result.Domain));
    }

    [Theory]
    [InlineData("203.0.113.99", SpfResult.Pass)]
    [InlineData("203.0.113.98", SpfResult.Fail)]
    public async Task Helo_identity(string ip, SpfResult expected)
    {
        var result = await new SpfEvaluator(Zone()).CheckHeloAsync(IPAddress.Parse(ip), "helo.example.com");
        Assert.Equal((expected, SpfIdentity.Helo), (result.Result, result.Identity));
    }

    [Fact]
    public async Task Void_lookups_are_counted()
    {
        var result = await new SpfEvaluator(Zone()).CheckMailFromAsync(IPAddress.Parse("203.0.113.1"), "u@voids.example.com", null);
        Assert.Equal(3, result.VoidLookups);
    }

    public static TheoryData<string, SpfResult> HostileRecords() => new()
    {
        { "v=spf1 %", SpfResult.PermError },
        { "v=spf1 a:%{", SpfResult.PermError },
        { "v=spf1 ip6:", SpfResult.PermError },
        { "v=spf1 a:caf\u00e9.example.com -all", SpfResult.PermError },
        { "v=spf1 exists:%{l}%{l}%{l}%{l}%{l}%{l}.%{d} -all", SpfResult.Fail }, // expands past 253 characters: left labels dropped
        { "v=spf1 " + string.Concat(Enumerable.Repeat("ip4:198.51.100.1 ", 3500)) + "-all", SpfResult.Fail }, // a large answer (60 KB)
        { "v=spf1 " + string.Concat(Enumerable.Repeat("ip4:198.51.100.1 ", 5000)) + "-all", SpfResult.PermError }, // 85 KB: longer than a TXT record can be (SpfRecord.MaxRecordLength)
        { "v=spf1 " + string.Concat(Enumerable.Repeat("include:x.example.com ", 50)), SpfResult.PermError },
        { "v=spf1 redirect=%{d}", SpfResult.PermError },
    };

    [Theory]
    [MemberData(nameof(HostileRecords))]
    public async Task Hostile_records_give_a_defined_result(string record, SpfResult expected)
    {
        var zone = new DnsZone().AddTxt("hostile.example.com", new TxtRecord(record.Chunk(255).Select(c => new string(c)).ToArray()));
        var result = await new SpfEvaluator(zone).CheckMailFromAsync(IPAddress.Parse("203.0.113.1"), "averyveryverylonglocalpartthatgoesonandonandon@hostile.example.com", null);
        Assert.Equal(expected, result.Result);
        Assert.Equal(record, result.Record);
    }

    [Fact]
    public async Task Cancellation_is_not_swallowed()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var evaluator = new SpfEvaluator(new CancellingResolver());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => evaluator.CheckMailFromAsync(IPAddress.Loopback, "a@example.com", null, cts.Token));
    }

    /// <summary>A resolver that honours cancellation the way a network one does.</summary>
    private sealed class CancellingResolver : IDnsResolver
    {
        public Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default) => Task.FromCanceled<DnsResult<TxtRecord>>(cancellationToken);

        public Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) => Task.FromCanceled<DnsResult<IPAddress>>(cancellationToken);

        public Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) => Task.FromCanceled<DnsResult<IPAddress>>(cancellationToken);

        public Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) => Task.FromCanceled<DnsResult<MxRecord>>(cancellationToken);

        public Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default) => Task.FromCanceled<DnsResult<string>>(cancellationToken);
    }
}
