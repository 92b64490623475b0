using DmarcCloud.Core.Dmarc;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Dmarc;

/// <summary>Record parsing: OpenDMARC and Mail::DMARC tables, the 34 real-world malformed records, RFC 9989 rules.</summary>
public class DmarcRecordTests
{
    private const string File = "dmarc-record-and-identifier-cases.yml";

    /// <summary>
    /// Cases where the source is looser or stricter than RFC 9989 and this parser follows RFC 9989 instead,
    /// with the result RFC 9989 gives (see docs/conformance.md).
    /// </summary>
    private static readonly Dictionary<string, string> Rfc9989Overrides = new(StringComparer.Ordinal)
    {
        // OpenDMARC accepts one-letter prefixes of policy names; RFC 9989 §4.7 (dmarc-request) does not.
        ["v=DMARC1; p=n;"] = "UNUSABLE",
    };

    public static TheoryData<string, string> OpenDmarcRecords()
    {
        var data = new TheoryData<string, string>();
        var section = Map(LoadYaml("dmarc", File)["record_parse"]);
        foreach (var c in List(section["cases"]).Select(Map))
        {
            data.Add(Str(c, "record")!, Str(c, "expect")!);
        }

        foreach (var c in List(section["extra"]).Select(Map))
        {
            data.Add(Str(c, "record")!, Str(Map(c["expect"]), "parse")!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OpenDmarcRecords))]
    public void OpenDmarc_record_parse_cases(string record, string expected)
    {
        var result = DmarcRecord.Parse(record);
        expected = Rfc9989Overrides.GetValueOrDefault(record, expected);
        switch (expected)
        {
            case "OKAY":
                Assert.True(result.IsUsable, string.Join("; ", result.Errors));
                Assert.Empty(result.Errors);
                break;
            case "ERROR_EMPTY":
            case "ERROR_BAD_VERSION":
                Assert.False(result.IsDmarcRecord);
                Assert.NotEmpty(result.Errors);
                break;
            case "ERROR_NO_REQUIRED_P":
            case "UNUSABLE":
                Assert.True(result.IsDmarcRecord);
                Assert.False(result.IsUsable);
                break;
            case "ERROR_BAD_VALUE":
                // Invalid p/sp: the record is unusable (no rua). Invalid optional tags: reported, defaults used.
                var tag = record.Split(';').Select(t => t.Trim()).Last(t => t.Length > 0).Split('=')[0];
                if (tag is "p" or "sp")
                {
                    Assert.False(result.IsUsable);
                }
                else
                {
                    Assert.True(result.IsUsable);
                    Assert.Contains(result.Warnings, w => w.Contains(tag + "=", StringComparison.Ordinal));
                }

                break;
            default:
                Assert.Fail($"unknown expectation {expected}");
                break;
        }
    }

    public static TheoryData<string, string, bool> MailDmarcTagValues()
    {
        var data = new TheoryData<string, string, bool>();
        var section = Map(LoadYaml("dmarc", File)["tag_values"]);
        foreach (var (validity, isValid) in new[] { ("valid", true), ("invalid", false) })
        {
            foreach (var (tag, values) in Map(section[validity]))
            {
                foreach (var value in List(values))
                {
                    data.Add((string)tag, value.ToString()!, isValid);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MailDmarcTagValues))]
    public void MailDmarc_tag_values(string tag, string value, bool valid)
    {
        if (tag == "v")
        {
            // RFC 9989 §4.7: the version value is exactly "DMARC1" (Mail::DMARC also accepts "dmarc1").
            var parsed = DmarcRecord.Parse($"v={value}; p=none");
            Assert.Equal(value == "DMARC1", parsed.IsDmarcRecord);
            return;
        }

        var record = tag == "p" ? $"v=DMARC1; p={value}" : $"v=DMARC1; p=none; {tag}={value}";
        var result = DmarcRecord.Parse(record);
        Assert.True(result.IsDmarcRecord);
        var problems = result.Warnings.Concat(result.Errors)
            .Where(m => !m.StartsWith("pct is historic", StringComparison.Ordinal) && !m.Contains("obsolete", StringComparison.Ordinal))
            .ToList();
        if (valid)
        {
            Assert.True(result.IsUsable);
            Assert.Empty(problems);
            var r = result.Record!;
            var lower = value.ToLowerInvariant();
            switch (tag)
            {
                case "p": Assert.Equal(lower, r.P.ToString()!.ToLowerInvariant()); break;
                case "sp": Assert.Equal(lower, r.Sp.ToString()!.ToLowerInvariant()); break;
                case "np": Assert.Equal(lower, r.Np.ToString()!.ToLowerInvariant()); break;
                case "psd": Assert.Equal(lower, RfcName.Of(r.Psd)); break;
                case "t": Assert.Equal(lower == "y", r.Testing); break;
                case "adkim": Assert.Equal(lower == "s" ? AlignmentMode.Strict : AlignmentMode.Relaxed, r.Adkim); break;
                case "aspf": Assert.Equal(lower == "s" ? AlignmentMode.Strict : AlignmentMode.Relaxed, r.Aspf); break;
                case "fo": Assert.Equal(lower, r.Fo); break;
                case "rua": Assert.True(Assert.Single(r.Rua).IsValid); Assert.NotNull(r.Rua[0].MaxSizeBytes); break;
                case "ruf": Assert.True(Assert.Single(r.Ruf).IsValid); break;
                case "rf": Assert.Equal(lower, Assert.Single(r.Rf)); break;
                case "ri": Assert.Equal(uint.Parse(value, System.Globalization.CultureInfo.InvariantCulture), r.Ri); break;
                case "pct": Assert.Equal(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), r.Pct); break;
                default: Assert.Fail($"no check for {tag}"); break;
            }
        }
        else
        {
            Assert.Contains(problems, m => m.Contains(tag, StringComparison.Ordinal));
            if (tag is "p" or "sp" or "np")
            {
                Assert.False(result.IsUsable);
            }
        }
    }

    public static TheoryData<int> RecordValidityCases() =>
        new(Enumerable.Range(0, List(Map(LoadYaml("dmarc", File)["record_validity"])["cases"]).Count));

    [Theory]
    [MemberData(nameof(RecordValidityCases))]
    public void MailDmarc_record_validity(int index)
    {
        var c = Map(List(Map(LoadYaml("dmarc", File)["record_validity"])["cases"])[index]);
        var text = Str(c, "record")!.Replace("\\\\;", "\\;", StringComparison.Ordinal);
        var result = DmarcRecord.Parse(text);
        switch (c["expect"])
        {
            case "valid":
                Assert.True(result.IsUsable, string.Join("; ", result.Errors));
                break;
            case "invalid":
                Assert.False(result.IsUsable);
                break;
            case Dictionary<object, object> expect:
                Assert.True(result.IsUsable);
                var r = result.Record!;
                var parsed = Map(expect["parsed"]);
                foreach (var (key, value) in parsed)
                {
                    var v = value.ToString();
                    switch ((string)key)
                    {
                        case "v": Assert.Equal("DMARC1", v); break;
                        case "p": Assert.Equal(v, r.Policy.ToString().ToLowerInvariant()); break;
                        case "pct": Assert.Equal(v, r.Pct?.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                        case "rua": Assert.Equal(v, Assert.Single(r.Rua).Uri); break;
                        case "ruf": Assert.Equal(v, Assert.Single(r.Ruf).Uri); break;
                        case "fo": Assert.Equal(v, r.Fo); break;
                        case "adkim": Assert.Equal(AlignmentMode.Relaxed, r.Adkim); break;
                        case "aspf": Assert.Equal(AlignmentMode.Relaxed, r.Aspf); break;
                        default: Assert.Fail($"no check for {key}"); break;
                    }
                }

                if (expect.ContainsKey("warning"))
                {
                    Assert.Contains(result.Warnings, w => w.Contains("pct=", StringComparison.Ordinal));
                }

                if (!parsed.ContainsKey("pct"))
                {
                    Assert.Null(r.Pct);
                }

                break;
            default:
                Assert.Fail("unknown expectation");
                break;
        }
    }

    public static TheoryData<string, string> MalformedRecords()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in System.IO.File.ReadAllLines(PathOf("dmarc", "mail-dmarc-real-world-malformed-records.txt")))
        {
            if (line.StartsWith("domain=", StringComparison.Ordinal))
            {
                var semi = line.IndexOf(';', StringComparison.Ordinal);
                data.Add(line[7..semi], line[(semi + 1)..]);
            }
        }

        return data;
    }

    [Fact]
    public void There_are_34_real_world_malformed_records() => Assert.Equal(34, MalformedRecords().Count);

    /// <summary>
    /// Each of the 34 records gives a defined result: a usable record (every one has a valid p=), the policy it
    /// publishes, and one warning per defect (RFC 9989 §4.7: syntax errors in the remainder are discarded).
    /// </summary>
    [Theory]
    [MemberData(nameof(MalformedRecords))]
    public void Real_world_malformed_records_give_a_defined_result(string domain, string record)
    {
        var result = DmarcRecord.Parse(record);
        Assert.True(result.IsDmarcRecord, domain);
        Assert.True(result.IsUsable, domain);
        Assert.Empty(result.Errors);
        var published = record.Contains("p=quarantine", StringComparison.Ordinal) ? DmarcPolicy.Quarantine
            : record.Contains("p=reject", StringComparison.Ordinal) ? DmarcPolicy.Reject : DmarcPolicy.None;
        Assert.Equal(published, result.Record!.Policy);
        var defects = record.Split(';').Skip(1).Count(t => t.Length == 0 || !t.Contains('=', StringComparison.Ordinal) || t.StartsWith("sp-", StringComparison.Ordinal));
        var reported = result.Warnings.Count(w => w.StartsWith("malformed term", StringComparison.Ordinal) || w.StartsWith("empty term", StringComparison.Ordinal));
        Assert.Equal(defects, reported);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject", true, DmarcPolicy.Reject)]
    [InlineData("v=DMARC1;p=Quarantine", true, DmarcPolicy.Quarantine)]
    [InlineData("  v = DMARC1 ;  p = reject ; ", true, DmarcPolicy.Reject)]
    [InlineData("v=DMARC1; rua=mailto:d@example.com; p=reject", true, DmarcPolicy.Reject)]
    [InlineData("v=DMARC1; p=bogus; rua=mailto:d@example.com", true, DmarcPolicy.None)]
    [InlineData("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com", true, DmarcPolicy.None)]
    [InlineData("v=DMARC1; p=reject; np=bogus", false, DmarcPolicy.None)]
    [InlineData("v=DMARC1; psd=y", true, DmarcPolicy.None)]
    [InlineData("p=reject; v=DMARC1", false, DmarcPolicy.None)]
    [InlineData("v=DMARC1x; p=reject", false, DmarcPolicy.None)]
    public void Rfc9989_record_rules(string record, bool usable, DmarcPolicy policy)
    {
        var result = DmarcRecord.Parse(record);
        Assert.Equal(usable, result.IsUsable);
        if (usable)
        {
            Assert.Equal(policy, result.Record!.Policy);
        }
    }

    [Fact]
    public void Report_uris_keep_legacy_size_and_case()
    {
        var r = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:A@Example.COM!10m, mailto:b@example.org; ruf=mailto:f@example.com!1k").Record!;
        Assert.Equal(2, r.Rua.Count);
        Assert.Equal("mailto:A@Example.COM", r.Rua[0].Uri);
        Assert.Equal(10L << 20, r.Rua[0].MaxSizeBytes);
        Assert.Equal("mailto:A@Example.COM!10m", r.Rua[0].ToString());
        Assert.Equal("A@Example.COM", r.Rua[0].MailboxAddress);
        Assert.Equal(1024L, r.Ruf[0].MaxSizeBytes);
    }

    [Fact]
    public void Parse_never_throws_on_garbage()
    {
        foreach (var text in new[] { null, "", ";", "v=", "=", "v=DMARC1;;;=;==;", "v=DMARC1; rua=!!,,!; ruf=mailto:!x", new string('x', 10000) })
        {
            var result = DmarcRecord.Parse(text);
            Assert.NotNull(result);
        }
    }
}
