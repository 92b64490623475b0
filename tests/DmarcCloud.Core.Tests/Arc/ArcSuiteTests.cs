using System.Text;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using DmarcCloud.OfflineDns;
using static DmarcCloud.Core.Tests.Arc.DuplicateKeepingYaml;

namespace DmarcCloud.Core.Tests.Arc;

/// <summary>The ValiMail ARC validation suite (arc-draft-validation-tests.yml), every entry including duplicate names.</summary>
public class ArcSuiteTests
{
    internal sealed record SuiteCase(string Key, string Name, string Message, string ExpectedCv, IReadOnlyDictionary<string, string> Keys);

    internal static IReadOnlyList<SuiteCase> Cases { get; } = Load();

    public static TheoryData<string> CaseKeys() => new(Cases.Select(c => c.Key));

    [Fact]
    public void Suite_has_175_entries_171_unique_names_and_keeps_duplicates()
    {
        Assert.Equal(175, Cases.Count);
        Assert.Equal(171, Cases.Select(c => c.Name).Distinct().Count());
        Assert.Equal(3, Cases.Count(c => c.ExpectedCv.Length == 0));
    }

    [Theory]
    [MemberData(nameof(CaseKeys))]
    public async Task Suite_case_yields_expected_cv(string key)
    {
        var c = Cases.Single(x => x.Key == key);
        var zone = new DnsZone();
        foreach (var (name, txt) in c.Keys)
        {
            zone.AddTxt(name, txt);
        }

        var result = await new ArcValidator(zone).ValidateAsync(MessageReader.Parse(Encoding.UTF8.GetBytes(c.Message)));

        // An empty cv in the suite (3 cases) means the chain is broken: fail (see NOTES.txt).
        var expected = c.ExpectedCv.Length == 0 ? ArcChainStatus.Fail : Enum.Parse<ArcChainStatus>(c.ExpectedCv, ignoreCase: true);
        Assert.True(expected == result.Status, $"{c.Name}: expected {expected}, got {result.Status} ({result.Reason})");
    }

    private static List<SuiteCase> Load()
    {
        var cases = new List<SuiteCase>();
        var path = TestFiles.PathOf("arc", "valimail-arc_test_suite", "arc-draft-validation-tests.yml");
        foreach (var document in LoadDocuments(path).Cast<Mapping>())
        {
            var keys = ((Mapping?)document["txt-records"])?.Entries.ToDictionary(e => e.Key, e => ((DuplicateKeepingYaml.Scalar)e.Value).Value)
                ?? new Dictionary<string, string>();
            foreach (var (name, node) in ((Mapping)document["tests"]!).Entries)
            {
                var test = (Mapping)node;
                var seen = cases.Count(x => x.Name == name);
                cases.Add(new SuiteCase(seen == 0 ? name : $"{name}#{seen + 1}", name, test.Text("message") ?? string.Empty, (test.Text("cv") ?? string.Empty).Trim(), keys));
            }
        }

        return cases;
    }
}
