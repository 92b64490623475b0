using System.Text;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Tests.HostileInput;

namespace DmarcCloud.Core.Tests.ReportIngest;

/// <summary>
/// Mboxes are split by our own scanner and each mail is screened before MimeKit parses it: no report may be lost by
/// that, and an mbox of thousands of tiny mails must cost about what its result costs (docs/fuzzing.md).
/// </summary>
public class MboxIngestTests
{
    private const string Separator = "From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n";

    public static TheoryData<string> SampleMails =>
        [.. Directory.GetFiles(TestFiles.PathOf("reports"), "*.eml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(TestFiles.PathOf("reports"), f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(SampleMails))]
    public void Every_sample_mail_gives_the_same_reports_inside_an_mbox_as_alone(string sample)
    {
        var mail = TestFiles.Bytes("reports", sample);
        var alone = ReceivedReportReader.Read(mail);
        if (mail.AsSpan().StartsWith("From "u8))
        {
            mail = mail[(Array.IndexOf(mail, (byte)'\n') + 1)..]; // its own mbox separator: the mbox below writes one
        }

        var mbox = Mbox(Encoding.ASCII.GetBytes("From: a@b.example\n\nnot a report\n"), mail, Encoding.ASCII.GetBytes("From: c@d.example\n\nnor this\n"));

        var inMbox = ReceivedReportReader.Read(mbox);

        Assert.Equal("mbox", inMbox.Kind);
        Assert.Equal(Summary(alone.Reports), Summary(inMbox.Reports));
        Assert.All(inMbox.Reports, i => Assert.StartsWith("message 2", i.Origin, StringComparison.Ordinal));
        Assert.All(inMbox.Items.Where(i => !i.Origin.StartsWith("message 2", StringComparison.Ordinal)), i => Assert.EndsWith("carries no DMARC report", i.Error, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_sample_mail_may_carry_a_report_by_the_screen()
    {
        // The screen may let through a mail that carries none, never stop one that carries one.
        foreach (var file in Directory.GetFiles(TestFiles.PathOf("reports"), "*.eml", SearchOption.AllDirectories))
        {
            if (ReceivedReportReader.Read(File.ReadAllBytes(file)).Reports.Any())
            {
                Assert.True(ReportMailScreen.MayCarryReport(File.ReadAllBytes(file)), file);
            }
        }
    }

    [Theory]
    [InlineData("From: a@b\n\nx\n", false)]
    [InlineData("From: a@b\nSubject: hello\nContent-Type: text/plain; charset=\"us-ascii\"\n\nx\n", false)]
    [InlineData("From: a@b\nContent-Type: text/plain; charset=UTF-8\n\nx\n", false)]
    [InlineData("From: a@b\nContent-Type: message/FEEDBACK-report\n\nx\n", true)]
    [InlineData("From: a@b\nContent-Transfer-Encoding: BASE64\n\neA==\n", true)]
    [InlineData("From: a@b\nContent-Transfer-Encoding: quoted-printable\n\nx\n", true)]
    [InlineData("From: a@b\nContent-Transfer-Encoding: x-uuencode\n\nx\n", true)]
    [InlineData("From: a@b\nSubject: =?utf-8?q?x?=\n\nx\n", true)]
    [InlineData("From: a@b\nSubject: DMARC failure Report\n\nx\n", true)]
    [InlineData("From: a@b\nContent-Type: text/plain; charset=utf-16\n\nx\n", true)]
    [InlineData("From: a@b\nContent-Type: text/plain; charset*=utf-8''x\n\nx\n", true)]
    [InlineData("From: a@b\n\n\u001F\u008Bx\n", true)]
    [InlineData("From: a@b\n\nPK\u0003\u0004\n", true)]
    public void The_screen_lets_through_whatever_could_hide_a_report(string mail, bool mayCarry) =>
        Assert.Equal(mayCarry, ReportMailScreen.MayCarryReport(Encoding.Latin1.GetBytes(mail)));

    [Theory]
    [InlineData("From a\nA: 1\n\nx\nFrom b\nB: 2\n\ny\n", new[] { "A: 1\n\nx\n", "B: 2\n\ny\n" })]
    [InlineData("\uFEFF \n\nFrom a\nA: 1\n", new[] { "A: 1\n" })]
    [InlineData("From a\nA: 1\n\n>From b\nnot a separator From c\n", new[] { "A: 1\n\n>From b\nnot a separator From c\n" })]
    [InlineData("From a\nFrom b\nFrom c", new[] { "", "", "" })]
    [InlineData("From a", new[] { "" })]
    [InlineData("From a\r\nA: 1\r\n\r\nFrom b\r\n", new[] { "A: 1\r\n\r\n", "" })]
    public void The_mbox_splits_at_lines_starting_with_From(string mbox, string[] mails)
    {
        var bytes = Encoding.UTF8.GetBytes(mbox);
        var split = new List<string>();
        foreach (var mail in new MboxSplitter(bytes))
        {
            split.Add(Encoding.UTF8.GetString(bytes, mail.Start, mail.Length));
        }

        Assert.Equal(mails, split);
    }

    [Fact]
    public void An_mbox_of_20000_one_line_mails_records_each_and_allocates_about_its_result()
    {
        var mbox = Mbox([.. Enumerable.Repeat(Encoding.ASCII.GetBytes("From: a@b\n\nx\n"), 20_000)]);
        ReceivedReportFile? result = null;

        var allocated = Allocation.Of(() => result = ReceivedReportReader.Read(mbox));

        Assert.Equal(20_000, result!.Items.Count);
        Assert.All(result.Items, i => Assert.EndsWith("carries no DMARC report", i.Error, StringComparison.Ordinal));

        // Before: MimeKit parsed each mail (about 19 KB each, 380 MB here). Now the result (two strings and a record per
        // mail) is most of it.
        Assert.True(allocated < 20_000 * 1024, $"{allocated:N0} bytes for {mbox.Length:N0}");
    }

    [Fact]
    public void An_mbox_of_tiny_mails_the_screen_lets_through_stays_within_16_KB_a_mail()
    {
        var mbox = Mbox([.. Enumerable.Repeat(Encoding.ASCII.GetBytes("From: a@b\nSubject: report\nContent-Transfer-Encoding: base64\n\neA==\n"), 2_000)]);
        ReceivedReportFile? result = null;

        var allocated = Allocation.Of(() => result = ReceivedReportReader.Read(mbox));

        Assert.Equal(2_000, result!.Items.Count);

        // MimeKit's message (about 7 KB) and our reading of it; before: a parser, a decoding stream and the text as a
        // string per mail (about 26 KB).
        Assert.True(allocated < 2_000 * 16 * 1024, $"{allocated:N0} bytes for {mbox.Length:N0}");
    }

    [Fact]
    public void Mails_past_the_limit_are_one_rejected_item()
    {
        var mbox = Mbox([.. Enumerable.Repeat(Encoding.ASCII.GetBytes("From: a@b\n\nx\n"), 12)]);

        var result = ReceivedReportReader.Read(mbox, new ReportIngestOptions { MaxMessagesPerMbox = 10 });

        Assert.Equal(11, result.Items.Count);
        Assert.Equal("more than 10 messages in one mbox; the rest was not read", result.Items[^1].Error);
    }

    [Fact]
    public void Reports_in_attached_archives_count_toward_the_reports_of_one_mail()
    {
        var zip = Convert.ToBase64String(Zip(3));
        var mail = new StringBuilder("From: a@b\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n");
        for (var i = 0; i < 3; i++)
        {
            mail.Append("--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n").Append(zip).Append('\n');
        }

        mail.Append("--b--\n");

        var result = ReceivedReportReader.Read(Encoding.ASCII.GetBytes(mail.ToString()), new ReportIngestOptions { MaxReportsPerContainer = 4 });

        // Two archives are read (3 entries each, the second started under the limit); the third is one rejected item.
        Assert.Equal(7, result.Items.Count);
        Assert.Equal("more than 4 reports in one mail", result.Items[^1].Error);
    }

    [Theory]
    [InlineData("Authentication-Resultsbox.example;")] // no colon on the first line (found by the fuzz target)
    [InlineData("Authenticati\u00e9 on-Results: box.example;")] // a space and a non-ASCII byte in the name
    public void An_attached_header_block_is_checked_whatever_its_first_line(string first)
    {
        var folded = string.Concat(Enumerable.Repeat("\n\tby relay.example", 3_000));
        var mail = "From: a@b\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: auth-failure\n\n" +
            $"--b\nContent-Type: text/rfc822-headers\n\n{first}\nReceived: from x{folded}\nFrom: c@d\n\n--b--\n";

        var result = ReceivedReportReader.Read(Encoding.Latin1.GetBytes(mail));

        // MimeKit reads that block as header fields: the 57 KB folded field would cost it about length²/128.
        Assert.Contains("MaxHeaderFieldBytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_indented_xml_attachment_is_not_taken_for_a_header_block()
    {
        var records = string.Concat(Enumerable.Repeat("\n  <record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>", 600));
        var xml = "<feedback xmlns:x=\"urn:x\">\n  <report_metadata><org_name>r</org_name><email>a@r</email><report_id>1</report_id><date_range><begin>1</begin><end>2</end></date_range></report_metadata>" +
            $"\n  <policy_published><domain>example.com</domain><p>none</p></policy_published>{records}\n</feedback>\n";
        var mail = $"From: a@b\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: application/xml\n\n{xml}--b--\n";

        var result = ReceivedReportReader.Read(Encoding.ASCII.GetBytes(mail));

        Assert.Null(result.Error);
        Assert.NotEmpty(result.Reports);
    }

    private static byte[] Zip(int entries)
    {
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < entries; i++)
            {
                using var entry = zip.CreateEntry($"r{i}.xml").Open();
                entry.Write("<feedback><report_metadata><org_name>x</org_name></report_metadata></feedback>"u8);
            }
        }

        return output.ToArray();
    }

    private static byte[] Mbox(params byte[][] mails)
    {
        using var mbox = new MemoryStream();
        foreach (var mail in mails)
        {
            mbox.Write(Encoding.ASCII.GetBytes(Separator));
            mbox.Write(mail);
            mbox.Write("\n"u8);
        }

        return mbox.ToArray();
    }

    private static string Summary(IEnumerable<ReceivedReport> items) =>
        string.Join("\n", items.Select(i => $"{i.Aggregate?.Kind ?? i.Failure?.Kind} {i.Aggregate?.Records.Count} {i.Failure?.SourceIp} {i.Failure?.Format}"));
}
