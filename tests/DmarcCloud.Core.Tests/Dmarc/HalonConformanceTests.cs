using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Dmarc;

/// <summary>halon-dmarc-cases.yml: RFC 9989 tree-walk cases and full evaluations (RFC 7489 mode unless <c>rfc9989: true</c>).</summary>
public class HalonConformanceTests
{
    private const string File = "halon-dmarc-cases.yml";

    /// <summary>
    /// Cases about how many DKIM signatures the verifier checks (Halon's maxdkimheaders): that limit belongs to
    /// the DKIM verifier, which hands DMARC only the results it produced. Their DMARC part is run with the
    /// results the verifier gives (the valid signature among permerror ones) in <see cref="Many_signatures_one_valid"/>.
    /// </summary>
    private static readonly HashSet<string> DkimVerifierScope = new(StringComparer.Ordinal)
    {
        "many_dkim.hsl", "many_dkim2.hsl", "many_dkim3.hsl", "many_dkim4.hsl",
    };

    public static TheoryData<string> TreeWalkCases() =>
        new(List(LoadYaml("dmarc", File)["tree_walk"]).Select(c => Str(Map(c), "test")!));

    public static TheoryData<string> EvaluationCases() =>
        new(List(LoadYaml("dmarc", File)["evaluation"]).Select(c => Str(Map(c), "test")!).Where(t => !DkimVerifierScope.Contains(t)));

    [Fact]
    public void All_52_cases_are_loaded()
    {
        var yaml = LoadYaml("dmarc", File);
        Assert.Equal(9, List(yaml["tree_walk"]).Count);
        Assert.Equal(43, List(yaml["evaluation"]).Count);
    }

    [Theory]
    [MemberData(nameof(TreeWalkCases))]
    public async Task Tree_walk(string test)
    {
        var c = List(LoadYaml("dmarc", File)["tree_walk"]).Select(Map).Single(x => Str(x, "test") == test);
        if (c.TryGetValue("cases", out var nameCases))
        {
            foreach (var (domain, names) in Map(nameCases))
            {
                Assert.Equal(Strings(names).ToList(), DmarcPolicyDiscovery.TreeWalkNames((string)domain));
            }

            return;
        }

        var zone = BuildZone(Map(c["dns"]));
        var discovery = new DmarcPolicyDiscovery(zone);
        var author = Str(c, "author")!;
        var lookup = await discovery.FindPolicyAsync(author, DiscoveryMethod.TreeWalk);
        var expect = Map(c["expect"]);
        if (Str(expect, "result") == "temperror")
        {
            Assert.Equal(DmarcPolicyLookupStatus.TempError, lookup.Status);
            return;
        }

        Assert.Equal(DmarcPolicyLookupStatus.Found, lookup.Status);
        Assert.Equal(Str(expect, "pdomain"), lookup.PolicyDomain);
        var policy = Map(expect["policy"]);
        Assert.Equal(Str(policy, "p"), lookup.Record!.Policy.ToString().ToLowerInvariant());
        if (Str(policy, "psd") is { } psd)
        {
            Assert.Equal(psd, RfcName.Of(lookup.Record.Psd));
        }

        var org = await discovery.FindOrganizationalDomainAsync(author, DiscoveryMethod.TreeWalk);
        Assert.Equal(Str(expect, "orgdomain"), org.OrganizationalDomain);
    }

    [Theory]
    [MemberData(nameof(EvaluationCases))]
    public async Task Evaluation(string test)
    {
        var c = List(LoadYaml("dmarc", File)["evaluation"]).Select(Map).Single(x => Str(x, "test") == test);
        var method = c.GetValueOrDefault("rfc9989") is "true" ? DiscoveryMethod.TreeWalk : DiscoveryMethod.Psl;
        var zone = BuildZone(Map(c["dns"]));
        var mailFrom = Str(c, "mail_from")!;
        SpfCheckResult? spf = Str(c, "spf") is { } spfResult
            ? new SpfCheckResult(Enum.Parse<SpfResult>(spfResult, ignoreCase: true), SpfIdentity.MailFrom, mailFrom)
            : null;
        var dkim = List(c.GetValueOrDefault("dkim")).Select(Map).Select(d => new DkimSignatureResult(
            Str(d, "key") switch
            {
                "temperror" => DkimResult.TempError,
                "permerror" => DkimResult.PermError,
                _ => DkimResult.Pass, // valid key; "not-queried" signatures are never aligned, whatever they yield
            },
            Str(d, "d")!,
            Str(d, "s")!,
            "rsa-sha256")).ToList();

        var evaluator = new DmarcEvaluator(zone, new DmarcEvaluatorOptions { DiscoveryMethod = method });
        var evaluation = await evaluator.EvaluateAsync(new DmarcEvaluationInput(AuthorDomain.Parse(Str(c, "from")!), spf, dkim));
        AssertHalonExpectation(test, Map(c["expect"]), evaluation);
    }

    /// <summary>many_dkim / many_dkim3: one valid signature among permerror ones still aligns; many_dkim2/4's limit is the DKIM verifier's.</summary>
    [Fact]
    public async Task Many_signatures_one_valid()
    {
        var zone = new DnsZone().AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var dkim = Enumerable.Range(1, 7).Select(i => new DkimSignatureResult(DkimResult.PermError, "example.com", $"spaceship{i}", "rsa-sha256"))
            .Append(new DkimSignatureResult(DkimResult.Pass, "example.com", "spaceship", "rsa-sha256")).ToList();
        var spf = new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, "example.com");
        var evaluation = await new DmarcEvaluator(zone, new DmarcEvaluatorOptions { DiscoveryMethod = DiscoveryMethod.Psl })
            .EvaluateAsync(new DmarcEvaluationInput(AuthorDomain.Parse("erik@example.com"), spf, dkim));
        Assert.Equal(DmarcResult.Pass, evaluation.Result);
        Assert.True(evaluation.DkimAligned);
        Assert.True(evaluation.SpfAligned);
        Assert.Equal(DmarcPolicy.Reject, evaluation.RequestedPolicy);
    }

    private static void AssertHalonExpectation(string test, Dictionary<object, object> expect, DmarcEvaluation evaluation)
    {
        foreach (var (k, v) in expect)
        {
            var key = (string)k;
            var value = v.ToString();
            var because = $"{test} {key}: expected {value}; result {evaluation.Result}, disposition {evaluation.Disposition}, reason {evaluation.Reason}";
            switch (key)
            {
                case "result":
                    var ok = value switch
                    {
                        "pass" => evaluation.Result == DmarcResult.Pass,
                        "temperror" => evaluation.Result == DmarcResult.TempError,
                        "policy_absent" => evaluation.Result == DmarcResult.None,
                        "reject" => evaluation.Result == DmarcResult.Fail && evaluation.Disposition == Disposition.Reject,
                        "quarantine" => evaluation.Result == DmarcResult.Fail && evaluation.Disposition == Disposition.Quarantine,
                        "none" => evaluation.Result == DmarcResult.Fail && evaluation.Disposition == Disposition.None,
                        _ => false,
                    };
                    Assert.True(ok, because);
                    break;
                case "pdomain":
                    Assert.True(value == (evaluation.Lookup?.PolicyDomain ?? evaluation.AuthorDomain), because + $", pdomain {evaluation.Lookup?.PolicyDomain}");
                    break;
                case "policy":
                    Assert.True(value == evaluation.RequestedPolicy?.ToString().ToLowerInvariant(), because + $", policy {evaluation.RequestedPolicy}");
                    break;
                case "spf_align":
                    Assert.True((value == "pass") == evaluation.SpfAligned, because);
                    break;
                case "dkim_align":
                    Assert.True((value == "pass") == evaluation.DkimAligned, because);
                    break;
                default:
                    Assert.Fail($"{test}: no check for {key}");
                    break;
            }
        }
    }

    private static DnsZone BuildZone(Dictionary<object, object> dns)
    {
        var zone = new DnsZone();
        foreach (var (k, v) in dns)
        {
            var key = (string)k;
            var isSoa = key.EndsWith(" SOA", StringComparison.Ordinal);
            var name = isSoa ? key[..^4] : key;
            switch (v)
            {
                case List<object> records:
                    foreach (var r in records)
                    {
                        zone.AddTxt(name, r.ToString()!);
                    }

                    break;
                case "NXDOMAIN":
                    break;
                case "NODATA":
                    zone.AddEmptyName(name);
                    break;
                case "SERVFAIL" or "TRY_AGAIN":
                    zone.AddTemporaryFailure(name, error: (string)v);
                    break;
                case string s when isSoa && s.StartsWith("NOERROR", StringComparison.Ordinal):
                    zone.AddEmptyName(name);
                    break;
                case string s:
                    zone.AddTxt(name, s);
                    break;
                default:
                    throw new InvalidDataException($"{key}: {v}");
            }
        }

        return zone;
    }
}
