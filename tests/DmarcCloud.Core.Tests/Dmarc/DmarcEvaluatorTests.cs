using System.Net;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Dmarc;

/// <summary>Evaluator behaviour beyond the conformance tables: DNS outages, pct sampling, local policy, ARC rescue.</summary>
public class DmarcEvaluatorTests
{
    private static readonly SpfCheckResult SpfFail = new(SpfResult.Fail, SpfIdentity.MailFrom, "attacker.example");

    private static DmarcEvaluationInput Failing(string from = "user@example.com", ArcValidationResult? arc = null, IPAddress? ip = null, bool authenticated = false) =>
        new(AuthorDomain.Parse(from), SpfFail, [], arc, ip, authenticated);

    private static DnsZone Zone(string record = "v=DMARC1; p=reject") => new DnsZone().AddTxt("_dmarc.example.com", record);

    /// <summary>A DNS outage at any step of discovery gives temperror, never none or fail.</summary>
    [Theory]
    [InlineData("_dmarc.mail.example.com", DiscoveryMethod.TreeWalk)] // first tree-walk query
    [InlineData("_dmarc.example.com", DiscoveryMethod.TreeWalk)] // the record's name
    [InlineData("_dmarc.mail.example.com", DiscoveryMethod.Psl)]
    [InlineData("_dmarc.example.com", DiscoveryMethod.Psl)]
    [InlineData("_dmarc.com", DiscoveryMethod.TreeWalk)] // organizational-domain walk (needed for relaxed alignment)
    public async Task Dns_outage_anywhere_is_temperror(string failingName, DiscoveryMethod method)
    {
        var zone = Zone("v=DMARC1; p=reject; np=reject").AddTemporaryFailure(failingName);
        var input = new DmarcEvaluationInput(
            AuthorDomain.Parse("user@mail.example.com"),
            new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, "bounce.example.com"),
            []);
        var evaluation = await new DmarcEvaluator(zone, new DmarcEvaluatorOptions { DiscoveryMethod = method }).EvaluateAsync(input);
        Assert.Equal(DmarcResult.TempError, evaluation.Result);
        Assert.Equal(Disposition.None, evaluation.Disposition);
        Assert.NotNull(evaluation.Reason);
    }

    [Fact]
    public async Task Outage_in_the_existence_check_is_temperror()
    {
        var zone = Zone("v=DMARC1; p=none; np=reject").AddTemporaryFailure("ghost.example.com");
        var evaluation = await new DmarcEvaluator(zone).EvaluateAsync(Failing("user@ghost.example.com"));
        Assert.Equal(DmarcResult.TempError, evaluation.Result);
    }

    [Theory]
    [InlineData(99, Disposition.Quarantine, true)] // Next(100)=99 >= pct 50: sampled out, one level lower
    [InlineData(50, Disposition.Quarantine, true)]
    [InlineData(49, Disposition.Reject, false)] // Next(100)=49 < pct 50: policy applies
    public async Task Pct_sampling_in_rfc7489_mode_uses_the_injected_random(int draw, Disposition expected, bool sampledOut)
    {
        var options = new DmarcEvaluatorOptions { DiscoveryMethod = DiscoveryMethod.Psl, SamplingRandom = new FixedRandom(draw) };
        var evaluation = await new DmarcEvaluator(Zone("v=DMARC1; p=reject; pct=50"), options).EvaluateAsync(Failing());
        Assert.Equal(DmarcResult.Fail, evaluation.Result);
        Assert.Equal(expected, evaluation.Disposition);
        Assert.Equal(sampledOut, evaluation.Overrides.Any(o => o.Type == PolicyOverrideType.SampledOut));
    }

    [Fact]
    public async Task Pct_is_ignored_in_tree_walk_mode()
    {
        var options = new DmarcEvaluatorOptions { SamplingRandom = new FixedRandom(99) };
        var evaluation = await new DmarcEvaluator(Zone("v=DMARC1; p=reject; pct=0"), options).EvaluateAsync(Failing());
        Assert.Equal(Disposition.Reject, evaluation.Disposition);
        Assert.Contains(evaluation.Warnings, w => w.Contains("pct=0 ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Testing_flag_lowers_the_policy_and_says_so()
    {
        var evaluation = await new DmarcEvaluator(Zone("v=DMARC1; p=reject; t=y")).EvaluateAsync(Failing());
        Assert.Equal(DmarcPolicy.Reject, evaluation.RequestedPolicy);
        Assert.Equal(DmarcPolicy.Quarantine, evaluation.EffectivePolicy);
        Assert.Equal(Disposition.Quarantine, evaluation.Disposition);
        Assert.Equal(PolicyOverrideType.PolicyTestMode, Assert.Single(evaluation.Overrides).Type);
    }

    public static TheoryData<string, Func<DmarcLocalPolicy>, Func<DmarcEvaluationInput>, Disposition, PolicyOverrideType?> LocalPolicies() => new()
    {
        { "none", () => new DmarcLocalPolicy(), () => Failing(), Disposition.Reject, null },
        { "authenticated", () => new DmarcLocalPolicy(), () => Failing(authenticated: true), Disposition.None, PolicyOverrideType.LocalPolicy },
        { "authenticated, option off", () => new DmarcLocalPolicy { SkipAuthenticatedSubmissions = false }, () => Failing(authenticated: true), Disposition.Reject, null },
        { "trusted network", () => new DmarcLocalPolicy { TrustedClientNetworks = ["192.0.2.0/24"] }, () => Failing(ip: IPAddress.Parse("192.0.2.77")), Disposition.None, PolicyOverrideType.LocalPolicy },
        { "trusted single address, other client", () => new DmarcLocalPolicy { TrustedClientNetworks = ["192.0.2.1", "bogus"] }, () => Failing(ip: IPAddress.Parse("192.0.2.2")), Disposition.Reject, null },
        { "trusted IPv6 network", () => new DmarcLocalPolicy { TrustedClientNetworks = ["2001:db8::/32"] }, () => Failing(ip: IPAddress.Parse("2001:db8::25")), Disposition.None, PolicyOverrideType.LocalPolicy },
        { "allow-listed parent", () => new DmarcLocalPolicy { AllowListedFromDomains = ["example.com"] }, () => Failing("user@news.example.com"), Disposition.None, PolicyOverrideType.LocalPolicy },
        { "soften", () => new DmarcLocalPolicy { SoftenRejectToQuarantine = true }, () => Failing(), Disposition.Quarantine, PolicyOverrideType.LocalPolicy },
    };

    [Theory]
    [MemberData(nameof(LocalPolicies))]
    public async Task Local_policy(string name, Func<DmarcLocalPolicy> policy, Func<DmarcEvaluationInput> input, Disposition expected, PolicyOverrideType? reason)
    {
        var evaluation = await new DmarcEvaluator(Zone(), new DmarcEvaluatorOptions { LocalPolicy = policy() }).EvaluateAsync(input());
        Assert.True(DmarcResult.Fail == evaluation.Result, name);
        Assert.Equal(expected, evaluation.Disposition);
        Assert.Equal(reason, evaluation.Overrides.SingleOrDefault()?.Type);
    }

    private static ArcValidationResult Chain(ArcChainStatus status, string sealer, string aar) =>
        new(status, [new ArcHop(1, sealer, "s1", aar, status == ArcChainStatus.Pass, true)]);

    [Theory]
    [InlineData(ArcChainStatus.Pass, "lists.example.org", "lists.example.org; dkim=pass header.d=example.com; spf=fail smtp.mailfrom=x@attacker.example", Disposition.None, PolicyOverrideType.MailingList)]
    [InlineData(ArcChainStatus.Pass, "lists.example.org", "lists.example.org; dmarc=pass header.from=example.com", Disposition.None, PolicyOverrideType.MailingList)]
    [InlineData(ArcChainStatus.Pass, "fwd.example.net", "mx.fwd.example.net; spf=pass smtp.mailfrom=bounce@mail.example.com", Disposition.None, PolicyOverrideType.TrustedForwarder)]
    [InlineData(ArcChainStatus.Pass, "lists.example.org", "lists.example.org; dkim=pass header.d=other.example", Disposition.Reject, null)]
    [InlineData(ArcChainStatus.Pass, "lists.example.org", "lists.example.org; dmarc=pass header.from=other.example", Disposition.Reject, null)]
    [InlineData(ArcChainStatus.Fail, "lists.example.org", "lists.example.org; dmarc=pass header.from=example.com", Disposition.Reject, null)]
    [InlineData(ArcChainStatus.Pass, "untrusted.example", "untrusted.example; dmarc=pass header.from=example.com", Disposition.Reject, null)]
    public async Task Trusted_arc_sealers_rescue_failures(ArcChainStatus status, string sealer, string aar, Disposition expected, PolicyOverrideType? reason)
    {
        var local = new DmarcLocalPolicy
        {
            TrustedArcSealers = [new TrustedArcSealer("example.org", PolicyOverrideType.MailingList), new TrustedArcSealer("fwd.example.net")],
        };
        var evaluation = await new DmarcEvaluator(Zone(), new DmarcEvaluatorOptions { LocalPolicy = local })
            .EvaluateAsync(Failing(arc: Chain(status, sealer, aar)));
        Assert.Equal(DmarcResult.Fail, evaluation.Result);
        Assert.Equal(expected, evaluation.Disposition);
        Assert.Equal(reason, evaluation.Overrides.SingleOrDefault()?.Type);
    }

    [Fact]
    public async Task Several_author_domains_keep_the_strictest_failure()
    {
        var zone = new DnsZone()
            .AddTxt("_dmarc.example.org", "v=DMARC1; p=none")
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var dkim = new[] { new DkimSignatureResult(DkimResult.Pass, "example.org", "s", "rsa-sha256") };
        var evaluation = await new DmarcEvaluator(zone).EvaluateAsync(
            new DmarcEvaluationInput(AuthorDomain.Parse("a@example.org, b@example.com"), null, dkim));
        Assert.Equal(DmarcResult.Fail, evaluation.Result);
        Assert.Equal("example.com", evaluation.AuthorDomain);
        Assert.Equal(Disposition.Reject, evaluation.Disposition);
        Assert.Contains(evaluation.Warnings, w => w.Contains("2 author domains", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"Only A Name\"")]
    public async Task No_author_domain_is_permerror(string from)
    {
        var evaluation = await new DmarcEvaluator(Zone()).EvaluateAsync(Failing(from));
        Assert.Equal(DmarcResult.PermError, evaluation.Result);
        Assert.Empty(evaluation.Queries);
    }

    public static TheoryData<int, string, string, string, bool> OpenDmarcAlignment()
    {
        var data = new TheoryData<int, string, string, string, bool>();
        foreach (var c in List(Map(LoadYaml("dmarc", "dmarc-record-and-identifier-cases.yml")["alignment"])["cases"]).Select(Map))
        {
            data.Add(int.Parse(Str(c, "n")!, System.Globalization.CultureInfo.InvariantCulture), Str(c, "domain")!, Str(c, "against")!, Str(c, "mode")!, Str(c, "expect") == "aligned");
        }

        return data;
    }

    /// <summary>OpenDMARC test_alignment.c: PSL organizational domains (upstream runs them with a PSL).</summary>
    [Theory]
    [MemberData(nameof(OpenDmarcAlignment))]
    public async Task OpenDmarc_alignment(int n, string domain, string against, string mode, bool aligned)
    {
        var discovery = new DmarcPolicyDiscovery(new DnsZone());
        var result = await DmarcEvaluator.AlignsAsync(domain, against, mode == "strict" ? AlignmentMode.Strict : AlignmentMode.Relaxed, DiscoveryMethod.Psl, discovery);
        Assert.True(aligned == result, $"case {n}");
    }

    private sealed class FixedRandom(int value) : Random
    {
        public override int Next(int maxValue) => value;
    }
}
