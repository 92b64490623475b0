using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests.Spf;

/// <summary>The OpenSPF suites (TestData/spf, see NOTICE), every scenario, one case per test name.</summary>
public class SpfConformanceTests
{
    private const string Rfc7208 = "rfc7208-tests.yml";
    private const string Rfc4408 = "rfc4408-tests.yml";

    /// <summary>
    /// RFC 4408 tests where the old suite accepted several results and RFC 7208 deliberately settled on one:
    /// here the RFC 7208 result is required. Listed in docs/conformance.md, "## SPF (RFC 7208)".
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (SpfResult Result, string Section)> Rfc7208Changes =
        new Dictionary<string, (SpfResult, string)>(StringComparer.Ordinal)
        {
            // Type SPF (99) is no longer queried, only TXT (RFC 7208 §3.1, §4.4, §14.1).
            ["txtonly"] = (SpfResult.Fail, "§3.1, §4.4"),
            ["spfonly"] = (SpfResult.None, "§3.1, §4.4"),
            ["spftimeout"] = (SpfResult.Fail, "§3.1, §4.4"),
            ["txttimeout"] = (SpfResult.TempError, "§4.4"),
            ["nospftxttimeout"] = (SpfResult.TempError, "§4.4"),
            ["spfoverride"] = (SpfResult.Fail, "§3.1, §4.5"),
            ["multitxt1"] = (SpfResult.PermError, "§4.5"),
            ["multispf2"] = (SpfResult.Pass, "§3.1, §4.5"),
            // A DNS error during exists is temperror (RFC 7208 §5, §2.6.6), not a non-match.
            ["exists-dnserr"] = (SpfResult.TempError, "§5, §2.6.6"),
            // ip6 networks never match an IPv4 client (RFC 7208 §5.6).
            ["cidr6-0-ip4"] = (SpfResult.Neutral, "§5.6"),
            ["cidr6-ip4"] = (SpfResult.Neutral, "§5.6"),
            // More than 10 MX names is permerror (RFC 7208 §4.6.4).
            ["mx-limit"] = (SpfResult.PermError, "§4.6.4"),
        };

    public static TheoryData<string> Rfc7208Names() => new(SpfTestSuite.Load(Rfc7208).Keys.Order(StringComparer.Ordinal));

    public static TheoryData<string> Rfc4408Names() => new(SpfTestSuite.Load(Rfc4408).Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Every_rfc7208_test_is_loaded()
    {
        Assert.Equal(203, SpfTestSuite.Load(Rfc7208).Count);
        Assert.Equal(191, SpfTestSuite.Load(Rfc4408).Count);
    }

    [Theory]
    [MemberData(nameof(Rfc7208Names))]
    public async Task Rfc7208_test_passes(string name)
    {
        var test = SpfTestSuite.Load(Rfc7208)[name];
        var result = await Check(test);

        Assert.True(test.Results.Contains(result.Result), $"{name} ({test.Spec}): expected {string.Join(" or ", test.Results)}, got {result.Result}: {result.Explanation}");
        AssertExplanation(test, result);
    }

    [Theory]
    [MemberData(nameof(Rfc4408Names))]
    public async Task Rfc4408_test_passes_with_the_rfc7208_result_where_it_changed(string name)
    {
        var test = SpfTestSuite.Load(Rfc4408)[name];
        var result = await Check(test);

        if (Rfc7208Changes.TryGetValue(name, out var change))
        {
            Assert.Contains(change.Result, test.Results);
            Assert.Equal(change.Result, result.Result);
            return;
        }

        Assert.True(test.Results.Contains(result.Result), $"{name} ({test.Spec}): expected {string.Join(" or ", test.Results)}, got {result.Result}: {result.Explanation}");
        AssertExplanation(test, result);
    }

    /// <summary>
    /// The suite's <c>explanation</c> ("DEFAULT" = no usable exp=). Compared ignoring case: the suite writes
    /// <c>%{i}</c> of an IPv6 address with upper-case nibbles, RFC 7208 §7.4's example uses lower case.
    /// </summary>
    private static void AssertExplanation(SpfSuiteCase test, SpfCheckResult result)
    {
        if (test.Explanation is null || result.Result != SpfResult.Fail)
        {
            return;
        }

        var expected = test.Explanation == "DEFAULT" ? new SpfOptions().DefaultExplanation : test.Explanation;
        Assert.Equal(expected, result.Explanation, ignoreCase: true);
    }

    private static Task<SpfCheckResult> Check(SpfSuiteCase test) =>
        new SpfEvaluator(test.Zone).CheckMailFromAsync(test.Host, test.MailFrom, test.Helo);
}
