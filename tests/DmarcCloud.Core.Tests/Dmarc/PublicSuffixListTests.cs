using DmarcCloud.Core.Dmarc;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Dmarc;

/// <summary>The official PSL test vectors (publicsuffix/list tests/tests.txt) against the embedded list.</summary>
public class PublicSuffixListTests
{
    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadAllLines(PathOf("psl", "tests.txt")))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            data.Add(parts[0], parts[1]);
        }

        return data;
    }

    [Fact]
    public void The_vector_file_has_78_cases() => Assert.Equal(78, Vectors().Count);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Registrable_domain_matches_the_official_vectors(string input, string expected)
    {
        var domain = input == "null" ? string.Empty : input;
        var registrable = PublicSuffixList.Embedded.GetRegistrableDomain(domain);
        Assert.Equal(expected == "null" ? null : expected, registrable);
    }

    [Fact]
    public void Embedded_list_is_the_snapshot_with_its_date_and_age()
    {
        var list = PublicSuffixList.Embedded;
        Assert.Equal("embedded", list.Source);
        Assert.Equal(new DateOnly(2026, 8, 19), list.Date);
        Assert.Equal(10, list.AgeInDays(new DateOnly(2026, 8, 29)));
        Assert.True(list.RuleCount > 10_000, $"{list.RuleCount} rules");
    }

    [Fact]
    public async Task A_newer_file_can_be_loaded_and_reports_its_date()
    {
        var path = Path.Combine(Path.GetTempPath(), $"psl-{Guid.NewGuid():N}.dat");
        await File.WriteAllTextAsync(path, "// test list\ncom\n*.ck\n!www.ck\nexample\n");
        try
        {
            File.SetLastWriteTimeUtc(path, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));
            var list = await PublicSuffixList.LoadAsync(path);
            Assert.Equal(new DateOnly(2026, 11, 1), list.Date);
            Assert.Equal(path, list.Source);
            Assert.Equal("a.example", list.GetRegistrableDomain("b.a.example"));
            Assert.Equal("www.ck", list.GetRegistrableDomain("a.www.ck"));
            Assert.Equal("x.y.ck", list.GetRegistrableDomain("x.y.ck"));
            Assert.Null(list.GetRegistrableDomain("y.ck"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, string> OpenDmarcOrgDomains()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in List(Map(LoadYaml("dmarc", "dmarc-record-and-identifier-cases.yml")["org_domain_psl"])["cases"]).Select(Map))
        {
            var domain = Str(c, "domain")!;
            if (!domain.Contains('<', StringComparison.Ordinal))
            {
                // Case 4 is a malformed C literal upstream ("informational only"): not runnable.
                data.Add(domain, Str(c, "expect")!);
            }
        }

        return data;
    }

    /// <summary>OpenDMARC test_tld.c cases with today's list (upstream used a 2012 list).</summary>
    [Theory]
    [MemberData(nameof(OpenDmarcOrgDomains))]
    public void OpenDmarc_organizational_domains(string domain, string expected) =>
        Assert.Equal(expected, PublicSuffixList.Embedded.GetOrganizationalDomain(domain));
}
