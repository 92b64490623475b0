using DmarcCloud.Core.Dmarc;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Dmarc;

/// <summary>From-domain extraction: OpenDMARC, Mail::DMARC and authheaders tables, plus RFC 5322 edge cases.</summary>
public class AuthorDomainTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        var section = Map(LoadYaml("dmarc", "dmarc-record-and-identifier-cases.yml")["from_domain_extraction"]);
        foreach (var source in new[] { "opendmarc", "mail_dmarc" })
        {
            foreach (var c in List(Map(section[source])["cases"]).Select(Map))
            {
                data.Add(source, Str(c, "raw")!, Str(c, "expect") ?? string.Empty);
            }
        }

        foreach (var c in List(LoadYaml("dmarc", "authheaders", "authheaders-dmarc-cases.yml")["from_domain_extraction"]).Select(Map))
        {
            data.Add("authheaders", Str(c, "raw")!, Str(c, "expect")!);
        }

        return data;
    }

    /// <summary>
    /// The sources agree on single-address fields. For several domains, OpenDMARC takes the first and Mail::DMARC
    /// none; DmarcCloud keeps them all (RFC 9989 §4.4: each is evaluated), so the first is <c>Domains[0]</c>
    /// and Mail::DMARC's "no domain" is <see cref="AuthorDomainResult.Domain"/> = null.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void From_domain_extraction(string source, string raw, string expected)
    {
        var result = AuthorDomain.Parse(raw);
        if (expected.Length == 0)
        {
            Assert.Null(result.Domain);
            return;
        }

        Assert.NotEmpty(result.Domains);
        Assert.Equal(expected, source == "opendmarc" ? result.Domains[0] : result.Domain);
    }

    [Theory]
    [InlineData("Test User <test@EXAMPLE.com>", AuthorDomainProblem.None, "example.com")]
    [InlineData("\"Test, User\" <test@example.com>", AuthorDomainProblem.None, "example.com")]
    [InlineData("=?UTF-8?Q?Jos=C3=A9,_Ltd?= <jose@example.com>", AuthorDomainProblem.None, "example.com")]
    [InlineData("user@пример.рф", AuthorDomainProblem.None, "xn--e1afmkfd.xn--p1ai")]
    [InlineData("a@example.com, b@sub.example.com", AuthorDomainProblem.SeveralDomains, null)]
    [InlineData("a@example.com, b@EXAMPLE.com", AuthorDomainProblem.None, "example.com")]
    [InlineData("\"Test User\"", AuthorDomainProblem.NoAddress, null)]
    [InlineData("", AuthorDomainProblem.NoAddress, null)]
    [InlineData("user@[192.0.2.1]", AuthorDomainProblem.InvalidDomain, null)]
    [InlineData("Friends: a@example.com, b@example.com;", AuthorDomainProblem.None, "example.com")]
    [InlineData("\"john doe\"@example.com", AuthorDomainProblem.None, "example.com")]
    public void Author_domain_rules(string raw, AuthorDomainProblem problem, string? domain)
    {
        var result = AuthorDomain.Parse(raw);
        Assert.Equal(problem, result.Problem);
        Assert.Equal(domain, result.Domain);
    }

    [Fact]
    public void No_or_several_From_fields_are_problems()
    {
        Assert.Equal(AuthorDomainProblem.NoFromField, AuthorDomain.Parse(Array.Empty<string>()).Problem);
        var several = AuthorDomain.Parse(["a@example.com", "b@example.com"]);
        Assert.Equal(AuthorDomainProblem.SeveralFromFields, several.Problem);
        Assert.False(several.CanEvaluate);
    }
}
