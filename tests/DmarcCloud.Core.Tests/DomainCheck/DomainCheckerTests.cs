using System.Text.Json;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Core.Tests.DomainCheck;

public class DomainCheckerTests
{
    public static TheoryData<string> FixtureNames() => new(DomainCheckFixtures.Cases.Keys);

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public async Task Published_records_give_exactly_the_expected_warnings_and_errors(string fixture)
    {
        var (zoneText, domain, selectors, expected) = DomainCheckFixtures.Cases[fixture];
        var report = await new DomainChecker(DomainCheckFixtures.Zone(zoneText)).CheckAsync(domain, selectors);

        var actual = report.Findings.Where(f => f.Severity != FindingSeverity.Info).Select(f => f.Code).Order(StringComparer.Ordinal).ToArray();
        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(actual),
            $"expected [{string.Join(", ", expected)}] but got [{string.Join(", ", actual)}]:\n"
            + string.Join('\n', report.Findings.Select(f => $"{f.Severity} {f.Code}: {f.Message}")));
        Assert.All(report.Findings, f =>
        {
            Assert.StartsWith("RFC ", f.Rfc, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(f.Message));
        });
        Assert.Equal(report.Findings.Any(f => f.Severity == FindingSeverity.Error), report.HasErrors);
    }

    [Fact]
    public async Task A_domain_without_DMARC_gets_the_starter_record_and_the_authorization_the_platform_mailbox_needs()
    {
        var zone = DomainCheckFixtures.Zone("@ TXT \"v=spf1 -all\"\n");
        var report = await new DomainChecker(zone, new DomainCheckOptions { ReportMailbox = "rua@reports.dmarccloud.example" }).CheckAsync("example.com");

        var missing = Assert.Single(report.Findings, f => f.Code == "dmarc.missing");
        Assert.Equal(FindingSeverity.Error, missing.Severity);
        Assert.Equal(
            ["_dmarc.example.com. IN TXT \"v=DMARC1; p=none; rua=mailto:rua@reports.dmarccloud.example\"",
             "example.com._report._dmarc.reports.dmarccloud.example. IN TXT \"v=DMARC1\""],
            missing.Fixes.Select(f => f.ZoneLine));
        Assert.Equal(RolloutStage.NoPolicy, report.Generated.From);
        Assert.Equal(RolloutStage.Monitor, report.Generated.To);
        Assert.Equal(missing.Fixes, report.Generated.Records);
    }

    [Fact]
    public async Task A_DNS_timeout_is_temperror_not_a_missing_record()
    {
        var zone = DomainCheckFixtures.Zone("@ TXT \"v=spf1 -all\"\n!fail _dmarc.example.com\n!fail sel._domainkey.example.com\n");
        var report = await new DomainChecker(zone).CheckAsync("example.com", ["sel"]);

        Assert.Equal(DmarcPolicyLookupStatus.TempError, report.Dmarc.Status);
        Assert.Contains(report.Findings, f => f.Code == "dmarc.temperror" && f.Message.Contains("timeout", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Code == "dkim.temperror");
        Assert.DoesNotContain(report.Findings, f => f.Code is "dmarc.missing" or "dkim.missing-key");
        Assert.Contains(report.Answers, a => a.Name == "_dmarc.example.com" && a.Status == DnsResultStatus.TemporaryFailure);
    }

    [Fact]
    public async Task An_external_destination_without_authorization_gets_the_exact_record_to_publish()
    {
        var zone = DomainCheckFixtures.Zone(DomainCheckFixtures.Cases["external rua without authorization"].Zone);
        var report = await new DomainChecker(zone).CheckAsync("example.com", ["sel"]);

        var finding = Assert.Single(report.Findings, f => f.Code == "dmarc.external-unauthorized");
        Assert.Equal("RFC 9990 §2.4", finding.Rfc);
        var fix = Assert.Single(finding.Fixes);
        Assert.Equal("example.com._report._dmarc.reports.example.net. IN TXT \"v=DMARC1\"", fix.ZoneLine);
        Assert.Contains("reports.example.net", fix.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Historic_tags_are_explained_with_the_record_rewritten_without_them()
    {
        var zone = DomainCheckFixtures.Zone(DomainCheckFixtures.Cases["historic pct rf ri"].Zone);
        var report = await new DomainChecker(zone).CheckAsync("example.com", ["sel"]);

        var pct = Assert.Single(report.Findings, f => f.Code == "dmarc.historic-pct");
        Assert.Contains("t=y", pct.Message, StringComparison.Ordinal);
        Assert.Equal("v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com", Assert.Single(pct.Fixes).Value);
        Assert.Equal(RolloutStage.QuarantinePartial, report.Dmarc.Stage);
    }

    [Fact]
    public async Task The_SPF_tree_counts_every_lookup_below_the_root()
    {
        var zone = DomainCheckFixtures.Zone(DomainCheckFixtures.Cases["SPF eleven lookups over the include tree"].Zone);
        var report = await new DomainChecker(zone).CheckAsync("example.com", ["sel"]);

        Assert.Equal(11, report.Spf.DnsLookups);
        Assert.Equal(0, report.Spf.VoidLookups);
        var root = report.Spf.Tree;
        Assert.Equal(3, root.DnsLookups);
        Assert.Equal(["include:i1.example.com", "include:i2.example.com", "include:i3.example.com"], root.Children.Select(c => c.Via));
        Assert.Equal(["include:i4.example.com", "include:i5.example.com", "include:i6.example.com"], root.Children[0].Children.Select(c => c.Via));
        Assert.Equal(4, root.Children[1].TotalDnsLookups); // a, mx, include:i7 and i7's exists
        Assert.Contains("11", Assert.Single(report.Findings, f => f.Code == "spf.too-many-lookups").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deprecated_SPF_record_type_is_reported_when_the_resolver_can_ask_for_it()
    {
        var zone = DomainCheckFixtures.Zone(DomainCheckFixtures.Cases["clean reject"].Zone);
        var report = await new DomainChecker(new SpfTypeZone(zone, "v=spf1 a -all")).CheckAsync("example.com", ["sel"]);

        var finding = Assert.Single(report.Findings, f => f.Code == "spf.deprecated-rr-type");
        Assert.Contains("differs", finding.Message, StringComparison.Ordinal);
        Assert.Contains(report.Answers, a => a.Type == DnsRecordType.Spf);
    }

    [Fact]
    public async Task Compare_with_sets_every_answer_side_by_side_and_flags_the_ones_that_differ()
    {
        var zoneText = DomainCheckFixtures.Cases["clean reject"].Zone;
        var primary = DomainCheckFixtures.Zone(zoneText);
        var stale = DomainCheckFixtures.Zone(zoneText.Replace("p=reject", "p=none", StringComparison.Ordinal));
        var report = await new DomainChecker(primary).CheckAsync("example.com", ["sel"], compareWith: stale);

        Assert.NotNull(report.Comparisons);
        Assert.Equal(report.Answers.Count, report.Comparisons.Count);
        var gap = Assert.Single(report.Comparisons, c => !c.Same);
        Assert.Equal("_dmarc.example.com", gap.Name);
        Assert.Contains("p=none", gap.Secondary.Summary, StringComparison.Ordinal);
        var finding = Assert.Single(report.Findings, f => f.Code == "dns.propagation-gap");
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public async Task The_json_form_is_camel_case_with_enum_names_and_zone_lines()
    {
        var report = await new DomainChecker(DomainCheckFixtures.Zone("@ TXT \"v=spf1 -all\"\n")).CheckAsync("example.com");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, DomainCheckJsonContext.Default.DomainCheckReport));
        var root = json.RootElement;

        Assert.Equal("example.com", root.GetProperty("domain").GetString());
        Assert.True(root.GetProperty("hasErrors").GetBoolean());
        Assert.Equal("nopolicy", root.GetProperty("dmarc").GetProperty("status").GetString());
        Assert.Equal("no-policy", root.GetProperty("dmarc").GetProperty("stage").GetString());
        var finding = root.GetProperty("findings")[0];
        Assert.Equal("dmarc.missing", finding.GetProperty("code").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("dmarc", finding.GetProperty("area").GetString());
        Assert.Equal("_dmarc.example.com. IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\"", finding.GetProperty("fixes")[0].GetProperty("zoneLine").GetString());
        Assert.Equal("monitor", root.GetProperty("generated").GetProperty("to").GetString());
        Assert.Equal("txt", root.GetProperty("answers")[0].GetProperty("type").GetString());
        Assert.Equal(0, root.GetProperty("spf").GetProperty("dnsLookups").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("bad..example")]
    [InlineData("-x.example")]
    [InlineData("exa mple.com")]
    public async Task Names_that_are_not_domains_are_refused_before_any_lookup(string domain)
    {
        Assert.False(DomainChecker.IsCheckableDomain(domain));
        await Assert.ThrowsAsync<ArgumentException>(() => new DomainChecker(new DnsZone()).CheckAsync(domain));
    }

    /// <summary>A zone that also answers the retired SPF type at example.com.</summary>
    private sealed class SpfTypeZone(DnsZone zone, string spfTypeText) : IDnsResolver, IDeprecatedSpfTypeResolver
    {
        public Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default) => zone.LookupTxtAsync(name, cancellationToken);

        public Task<DnsResult<System.Net.IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) => zone.LookupAAsync(name, cancellationToken);

        public Task<DnsResult<System.Net.IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) => zone.LookupAaaaAsync(name, cancellationToken);

        public Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) => zone.LookupMxAsync(name, cancellationToken);

        public Task<DnsResult<string>> LookupPtrAsync(System.Net.IPAddress address, CancellationToken cancellationToken = default) => zone.LookupPtrAsync(address, cancellationToken);

        public Task<DnsResult<TxtRecord>> LookupSpfTypeAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult(DnsName.Normalize(name) == "example.com" ? DnsResult<TxtRecord>.Success([new TxtRecord(spfTypeText)]) : DnsResult<TxtRecord>.NoData());
    }
}
