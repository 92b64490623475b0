using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Dmarc;

/// <summary>
/// dmarc-policy-evaluation-cases.yml (mailauth, Mail::DMARC, stalwart mail-auth): every case runs in the
/// discovery mode(s) its <c>spec</c> names: rfc9989 → tree walk, rfc7489 → PSL, both → each.
/// </summary>
public class PolicyEvaluationConformanceTests
{
    private const string File = "dmarc-policy-evaluation-cases.yml";

    /// <summary>
    /// Expectations where the source disagrees with RFC 9989, replaced by what RFC 9989 requires
    /// (docs/conformance.md lists each with its citation).
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, object>> Rfc9989Expectations = new(StringComparer.Ordinal)
    {
        // RFC 9989 §4.4: all addresses are in one domain, so that domain is evaluated (mailauth does not evaluate).
        ["mailauth-23"] = new() { ["result"] = "pass" },

        // RFC 9989 §4.10 step 2: several records at one name are discarded and the walk goes on to example.com.
        ["mailauth-27"] = new() { ["result"] = "fail", ["policy"] = "none", ["policy_domain"] = "example.com" },
    };

    /// <summary>Cases that test another component; listed in docs/conformance.md.</summary>
    private static readonly HashSet<string> OtherArea = new(StringComparer.Ordinal)
    {
        "stalwart-11", // RFC 9990 external report destination check: the reporting component's job.
        "maildmarc-zone", // the shared zone, not a case
    };

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var c in List(LoadYaml("dmarc", File)["cases"]).Select(Map))
        {
            var id = Str(c, "id")!;
            if (OtherArea.Contains(id))
            {
                continue;
            }

            var modes = Str(c, "spec") switch
            {
                "rfc9989" => new[] { "treewalk" },
                "rfc7489" => ["psl"],
                _ => ["treewalk", "psl"],
            };
            var variants = c.TryGetValue("variants", out var v) ? List(v).Count : 1;
            foreach (var mode in modes)
            {
                for (var i = 0; i < variants; i++)
                {
                    data.Add(id, mode, i);
                }
            }
        }

        return data;
    }

    [Fact]
    public void All_75_cases_are_loaded()
    {
        var ids = List(LoadYaml("dmarc", File)["cases"]).Select(c => Str(Map(c), "id")).ToList();
        Assert.Equal(76, ids.Count); // 75 cases + the shared Mail::DMARC zone entry
        Assert.Equal(ids.Count - OtherArea.Count, Cases().Select(r => (string)r[0]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Policy_evaluation_case(string id, string mode, int variant)
    {
        var all = List(LoadYaml("dmarc", File)["cases"]).Select(Map).ToList();
        var c = all.Single(x => Str(x, "id") == id);
        if (c.TryGetValue("variants", out var variants))
        {
            var merged = new Dictionary<object, object>(c);
            foreach (var (k, val) in Map(List(variants)[variant]))
            {
                merged[k] = val;
            }

            c = merged;
        }

        var method = mode == "psl" ? DiscoveryMethod.Psl : DiscoveryMethod.TreeWalk;
        var zone = BuildZone(c, all);
        var discovery = new DmarcPolicyDiscovery(zone);

        if (c.TryGetValue("org_domain_cases", out var orgCases))
        {
            foreach (var (domain, expectedOrg) in Map(orgCases))
            {
                var org = await discovery.FindOrganizationalDomainAsync((string)domain, method);
                Assert.Equal((string)expectedOrg, org.OrganizationalDomain);
            }

            return;
        }

        if (c.TryGetValue("alignment_cases", out var alignmentCases))
        {
            foreach (var a in List(alignmentCases).Select(Map))
            {
                var from = Str(a, "header_from")!;
                var expectAligned = !Str(a, "expect")!.StartsWith("not", StringComparison.Ordinal);
                bool aligned;
                if (a.TryGetValue("spf", out var spfNode))
                {
                    var spf = Map(spfNode);
                    aligned = Str(spf, "result") == "pass"
                        && await DmarcEvaluator.AlignsAsync(Str(spf, "domain")!, from, AlignmentMode.Relaxed, method, discovery) == true;
                }
                else
                {
                    aligned = false;
                    foreach (var d in List(a["dkim"]).Select(Map).Where(d => Str(d, "result") == "pass"))
                    {
                        aligned |= await DmarcEvaluator.AlignsAsync(Str(d, "d")!, from, AlignmentMode.Relaxed, method, discovery) == true;
                    }
                }

                Assert.True(expectAligned == aligned, $"{from}: expected {Str(a, "expect")}");
            }

            return;
        }

        var expect = Map(c["expect"]).ToDictionary(kv => (string)kv.Key, kv => kv.Value);
        if (Rfc9989Expectations.TryGetValue(id, out var replaced))
        {
            expect = new Dictionary<string, object>(replaced);
        }

        var headerFrom = Strings(c.GetValueOrDefault("header_from")).Select(f => f.Contains('@', StringComparison.Ordinal) ? f : "user@" + f).ToList();
        var author = AuthorDomain.Parse(string.Join(", ", headerFrom));
        var input = new DmarcEvaluationInput(author, SpfInput(c), DkimInput(c));
        var evaluator = new DmarcEvaluator(zone, new DmarcEvaluatorOptions { DiscoveryMethod = method, SamplingRandom = new Random(7) });
        var evaluation = await evaluator.EvaluateAsync(input);

        // Only the keys the source checks are compared.
        foreach (var (key, value) in expect)
        {
            var text = value?.ToString();
            var because = $"{id} [{mode}] {key}";
            var record = evaluation.Lookup?.Parsed?.Record;
            switch (key)
            {
                case "result":
                    Assert.True(text == Name(evaluation.Result), $"{because}: expected {text}, got {Name(evaluation.Result)} ({evaluation.Reason})");
                    break;
                case "policy":
                    var policy = evaluation.EffectivePolicy ?? evaluation.RequestedPolicy;
                    var expectedPolicy = text!.StartsWith('(') ? null : text;
                    Assert.True(expectedPolicy == policy?.ToString().ToLowerInvariant(), $"{because}: expected {text}, got {policy}");
                    break;
                case "disposition":
                    Assert.Equal(text, evaluation.Disposition.ToString().ToLowerInvariant());
                    break;
                case "policy_domain":
                    Assert.Equal(text, evaluation.PolicyDomain);
                    break;
                case "org_domain":
                    Assert.Equal(text, evaluation.OrganizationalDomain);
                    break;
                case "dkim_aligned":
                    Assert.True(Truthy(value) == evaluation.DkimAligned, because);
                    break;
                case "spf_aligned":
                    Assert.True(Truthy(value) == evaluation.SpfAligned, because);
                    break;
                case "spf":
                    Assert.Equal(text, SpfInput(c)?.Result.ToString().ToLowerInvariant());
                    break;
                case "p":
                case "published_p":
                    Assert.Equal(text, record?.Policy.ToString().ToLowerInvariant());
                    break;
                case "sp":
                    Assert.Equal(text, record?.Sp?.ToString().ToLowerInvariant());
                    break;
                case "pct":
                    Assert.Equal(text, record?.Pct?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "rua_contains":
                    Assert.Contains(record!.Rua, u => u.Uri == text);
                    break;
                case "ar header.from":
                    Assert.Equal(text, evaluation.AuthorDomain);
                    break;
                case "dmarc_query_sequence":
                    var txtQueries = evaluation.Queries.Where(q => q.Type == DnsRecordType.Txt).Select(q => q.Name).ToList();
                    Assert.Equal(Strings(value).ToList(), txtQueries);
                    Assert.True(txtQueries.Count <= DmarcPolicyDiscovery.MaxTreeWalkQueries);
                    break;
                case "note":
                    break;
                default:
                    Assert.Fail($"{because}: no check for this key");
                    break;
            }
        }
    }

    private static string Name(DmarcResult result) => result.ToString().ToLowerInvariant();

    private static bool Truthy(object? value) => value switch
    {
        bool b => b,
        string s => s is "true" or "relaxed" or "strict" or "pass",
        _ => false,
    };

    private static DnsZone BuildZone(Dictionary<object, object> c, List<Dictionary<object, object>> all)
    {
        var zone = new DnsZone();
        var dns = c.GetValueOrDefault("dns");
        // Mail::DMARC runs every case against its mock zone ("mock zone used by every mail-dmarc case").
        var isMailDmarc = Str(c, "id")!.StartsWith("maildmarc-", StringComparison.Ordinal);
        if ((dns is string reference && reference.StartsWith("zone maildmarc-zone", StringComparison.Ordinal)) || (dns is null && isMailDmarc))
        {
            ZoneFromMasterLines(zone, Str(all.Single(x => Str(x, "id") == "maildmarc-zone"), "zone")!);
        }
        else
        {
            ZoneFromEntries(zone, dns);
        }

        ZoneFromEntries(zone, c.GetValueOrDefault("extra_dns"));
        if (Str(c, "dns_default") is { } d && d.StartsWith("TIMEOUT", StringComparison.Ordinal))
        {
            foreach (var from in Strings(c.GetValueOrDefault("header_from")))
            {
                foreach (var name in DmarcPolicyDiscovery.TreeWalkNames(from[(from.IndexOf('@', StringComparison.Ordinal) + 1)..]))
                {
                    zone.AddTemporaryFailure("_dmarc." + name);
                    zone.AddTemporaryFailure(name);
                }
            }
        }

        return zone;
    }

    private static SpfCheckResult? SpfInput(Dictionary<object, object> c)
    {
        var entries = List(c.GetValueOrDefault("spf")).Select(Map).ToList();
        var mfrom = entries.FirstOrDefault(e => Str(e, "scope") == "mfrom");
        if (mfrom is null)
        {
            return null;
        }

        var result = Enum.Parse<SpfResult>(Str(mfrom, "result")!, ignoreCase: true);
        return new SpfCheckResult(result, SpfIdentity.MailFrom, Str(mfrom, "domain")!);
    }

    private static List<DkimSignatureResult> DkimInput(Dictionary<object, object> c) =>
        List(c.GetValueOrDefault("dkim")).Select(Map).Select(d =>
            new DkimSignatureResult(
                Enum.Parse<DkimResult>(Str(d, "result")!.Split(' ')[0], ignoreCase: true),
                Str(d, "d")!,
                "selector",
                "rsa-sha256",
                Str(d, "result"))).ToList();
}
