using System.Net;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.OfflineDns.Tests;

public class ZoneFileParserTests
{
    private static readonly string ExampleZone = Path.Combine(AppContext.BaseDirectory, "TestData", "dns", "example.zone");

    [Fact]
    public async Task Example_zone_loads_without_errors()
    {
        var result = await ZoneFileParser.LoadAsync(ExampleZone);
        Assert.Empty(result.Errors);
        Assert.True(result.Success);
    }

    [Theory]
    [InlineData("example.com", "v=spf1 mx include:_spf.example.net -all")]
    [InlineData("quoted.example.com", "say \"hi\"semi;colonABC")]
    [InlineData("legacy.example.com", "v=spf1 -all")] // type SPF served as TXT
    [InlineData("deep.sub.example.com", "plain-word")] // relative to the second $ORIGIN
    public async Task Txt_records_are_read(string name, string text)
    {
        var zone = (await ZoneFileParser.LoadAsync(ExampleZone)).Zone;
        var txt = await zone.LookupTxtAsync(name);
        Assert.Equal(DnsResultStatus.Success, txt.Status);
        Assert.Equal(text, Assert.Single(txt.Records).Text);
    }

    [Fact]
    public async Task Txt_character_strings_are_kept_separate()
    {
        var zone = (await ZoneFileParser.LoadAsync(ExampleZone)).Zone;
        var txt = await zone.LookupTxtAsync("quoted.example.com");
        Assert.Equal(["say \"hi\"", "semi;colon", "ABC"], txt.Records[0].Strings);
    }

    [Fact]
    public async Task Blank_owner_ttl_and_class_in_either_order_and_cname()
    {
        var zone = (await ZoneFileParser.LoadAsync(ExampleZone)).Zone;
        var mx = await zone.LookupMxAsync("example.com");
        Assert.Equal([new MxRecord(10, "mail.example.com"), new MxRecord(20, "mail.backup.example.net")], mx.Records);
        Assert.Equal(IPAddress.Parse("192.0.2.25"), Assert.Single((await zone.LookupAAsync("www.example.com")).Records));
        Assert.Equal(IPAddress.Parse("2001:db8::25"), Assert.Single((await zone.LookupAaaaAsync("mail.example.com")).Records));
        Assert.Equal("mail.example.com", Assert.Single((await zone.LookupPtrAsync(IPAddress.Parse("192.0.2.25"))).Records));
        Assert.Equal("ns1.example.com. hostmaster.example.com. 2026112201 7200 900 1209600 300", Assert.Single(zone.GetRecords("example.com", DnsRecordType.Soa)));
        Assert.Equal("ns1.example.com", Assert.Single(zone.GetRecords("example.com", DnsRecordType.Ns)));
    }

    [Theory]
    [InlineData("$ORIGIN example.com.\nbad A 300.1.2.3\n", "line 2:")]
    [InlineData("$ORIGIN example.com.\n\nx MX ten mail\n", "line 3:")]
    [InlineData("$ORIGIN example.com.\nx HINFO a b\n", "line 2: record type HINFO is not supported")]
    [InlineData("x A 192.0.2.1\n", "line 1: relative name 'x' with no $ORIGIN")]
    [InlineData("  A 192.0.2.1\n", "line 1: no previous owner")]
    [InlineData("$ORIGIN example.com.\nx TXT \"open\n", "unterminated quoted string")]
    [InlineData("$ORIGIN example.com.\nx TXT ( \"a\"\n", "'(' not closed")]
    [InlineData("$INCLUDE other.zone\n", "line 1: $INCLUDE is not supported")]
    public void Bad_input_is_reported_with_its_line_not_thrown(string text, string error)
    {
        var result = ZoneFileParser.Parse(text);
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("q\n")]
    [InlineData("$\n")]
    [InlineData("x A\n")]
    [InlineData("x HINFO\n")]
    [InlineData("q A 1\n")]
    public void A_megabyte_of_bad_lines_keeps_100_errors_and_allocates_a_bounded_amount(string line)
    {
        // Before: a list of every entry and a formatted error per line, kept or not (222 MB for 1 MiB of "q" lines).
        var text = string.Concat(Enumerable.Repeat(line, (ZoneFileParser.MaxTextLength - 16) / line.Length));
        ZoneFileParser.Parse(text, "example.");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = ZoneFileParser.Parse(text, "example.");

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(101, result.Errors.Count);
        Assert.StartsWith("line 1: ", result.Errors[0], StringComparison.Ordinal);
        Assert.EndsWith("more errors not listed", result.Errors[^1], StringComparison.Ordinal);
        Assert.True(allocated < 16L * text.Length, $"{allocated:N0} bytes for {text.Length:N0} characters");
    }

    [Fact]
    public async Task Good_entries_survive_a_bad_one()
    {
        var result = ZoneFileParser.Parse("a A 192.0.2.1\nb A nonsense\nc A 192.0.2.3\n", "example.org");
        Assert.Single(result.Errors);
        Assert.Equal(DnsResultStatus.Success, (await result.Zone.LookupAAsync("c.example.org")).Status);
    }

    [Fact]
    public async Task Every_sample_zone_parses()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestData", "dns");
        foreach (var file in Directory.GetFiles(dir, "*.zone"))
        {
            var result = await ZoneFileParser.LoadAsync(file);
            Assert.True(result.Success, $"{file}: {string.Join("; ", result.Errors)}");
        }
    }
}
