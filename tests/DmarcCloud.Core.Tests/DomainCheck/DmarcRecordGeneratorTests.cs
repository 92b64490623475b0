using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.DomainCheck;

namespace DmarcCloud.Core.Tests.DomainCheck;

public class DmarcRecordGeneratorTests
{
    [Theory]
    [InlineData("v=DMARC1; p=none; rua=mailto:d@example.com", RolloutStage.Monitor, RolloutStage.QuarantineTesting, "v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:d@example.com", RolloutStage.QuarantineTesting, RolloutStage.Quarantine, "v=DMARC1; p=quarantine; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=quarantine; pct=10; rua=mailto:d@example.com", RolloutStage.QuarantinePartial, RolloutStage.QuarantinePartial, "v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.com", RolloutStage.QuarantinePartial, RolloutStage.Quarantine, "v=DMARC1; p=quarantine; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=quarantine; rua=mailto:d@example.com", RolloutStage.Quarantine, RolloutStage.RejectTesting, "v=DMARC1; p=reject; t=y; pct=0; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com", RolloutStage.RejectTesting, RolloutStage.Reject, "v=DMARC1; p=reject; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:d@example.com; ri=3600; rf=afrf", RolloutStage.Reject, RolloutStage.Reject, "v=DMARC1; p=reject; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=none; sp=none; adkim=s; aspf=s; rua=mailto:d@example.com!10m; ruf=mailto:f@example.com; fo=1", RolloutStage.Monitor, RolloutStage.QuarantineTesting,
        "v=DMARC1; p=quarantine; sp=none; adkim=s; aspf=s; t=y; pct=0; rua=mailto:d@example.com; ruf=mailto:f@example.com; fo=1")]
    [InlineData("v=DMARC1; p=none", RolloutStage.Monitor, RolloutStage.QuarantineTesting, "v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:dmarc-reports@example.com")]
    public void Each_stage_leads_to_the_next_keeping_the_owners_tags(string current, RolloutStage from, RolloutStage to, string expected)
    {
        var record = DmarcRecord.Parse(current).Record!;
        var next = DmarcRecordGenerator.NextStep("example.com", record, null);

        Assert.Equal(from, next.From);
        Assert.Equal(to, next.To);
        Assert.Equal(expected, next.DmarcRecord);
        Assert.Equal("_dmarc.example.com", next.Records[0].Name);
        Assert.True(DmarcRecord.Parse(next.DmarcRecord).IsUsable); // what we tell people to publish is itself a valid record
    }

    [Fact]
    public void Going_into_force_offers_the_RFC_7489_pct_ramp_and_says_RFC_9989_receivers_ignore_it()
    {
        var next = DmarcRecordGenerator.NextStep("example.com", DmarcRecord.Parse("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com").Record, null);

        Assert.Equal(["v=DMARC1; p=reject; pct=10; rua=mailto:d@example.com", "v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com"], next.PctRamp.Select(r => r.Value));
        Assert.All(next.PctRamp, r => Assert.Contains("RFC 9989 receivers ignore pct", r.Note, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com", 1)]
    [InlineData("dmarc@example.com", "v=DMARC1; p=none; rua=mailto:dmarc@example.com", 1)]
    [InlineData("mailto:rua@reports.example.com", "v=DMARC1; p=none; rua=mailto:rua@reports.example.com", 1)]
    [InlineData("rua@dmarccloud.example", "v=DMARC1; p=none; rua=mailto:rua@dmarccloud.example", 2)]
    public void The_starter_record_reports_to_the_platform_mailbox_with_an_authorization_when_outside(string? mailbox, string expected, int records)
    {
        var starter = DmarcRecordGenerator.Starter("Example.COM.", mailbox);

        Assert.Equal(expected, starter.DmarcRecord);
        Assert.Equal(records, starter.Records.Count);
        if (records == 2)
        {
            Assert.Equal("example.com._report._dmarc.dmarccloud.example", starter.Records[1].Name);
            Assert.Equal("v=DMARC1", starter.Records[1].Value);
        }
    }

    [Fact]
    public void Zone_lines_split_long_text_into_255_octet_strings_and_escape_quotes()
    {
        var fix = RecordFix.Txt("x.example", new string('a', 300) + "\"");
        Assert.Equal($"x.example. IN TXT \"{new string('a', 255)}\" \"{new string('a', 45)}\\\"\"", fix.ZoneLine);
    }
}
