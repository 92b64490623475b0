using System.Text;
using MimeKit;

namespace DmarcCloud.Cli.Tests.Commands;

/// <summary>`dmarccloud ruf build` run in-process on the spoofed demo message and an offline zone.</summary>
public class RufBuildCommandTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "ruf", name);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Prints_one_report_per_authorized_mailto_destination_and_why_the_others_get_none()
    {
        var (code, output, error) = await RunAsync("ruf", "build", Data("spoofed.eml"), "--ip", "198.51.100.66", "--mail-from", "attacker@bad.example",
            "--helo", "mail.bad.example", "--rcpt-to", "user.name@receiver.example", "--dns-zone", Data("ruf.zone"), "--now", "1795338000");

        Assert.True(code == 0, error);
        Assert.StartsWith("dmarc=fail policy=sender.example fo=1: fo options that fire: 1", output, StringComparison.Ordinal);
        Assert.Contains("# https://vendor.example/ruf: not sent: only mailto: URIs are supported", output, StringComparison.Ordinal);
        Assert.Contains("# ruf@stranger.example: not sent: Unauthorized: TXT sender.example._report._dmarc.stranger.example", output, StringComparison.Ordinal);
        Assert.Contains("(cap 51200)", output, StringComparison.Ordinal); // the !50k suffix lowers the cap

        var messages = output.Split("\n# ", StringSplitOptions.None).Skip(1)
            .Where(part => part.Contains("Auth-Failure dmarc", StringComparison.Ordinal))
            .Select(part => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(part[(part.IndexOf('\n', StringComparison.Ordinal) + 1)..]))))
            .ToList();
        Assert.Equal(["dmarc-ruf@sender.example", "ruf@vendor.example"], messages.Select(m => m.To.Mailboxes.Single().Address));
        Assert.All(messages, m => Assert.Equal("feedback-report", Assert.IsType<MultipartReport>(m.Body).ReportType));
        Assert.DoesNotContain("user.name@", output, StringComparison.Ordinal); // recipient redacted by default
    }

    [Fact]
    public async Task With_fo_1_a_message_that_passes_by_spf_alone_is_still_reported()
    {
        var (code, output, _) = await RunAsync("ruf", "build", Data("spoofed.eml"), "--ip", "192.0.2.10", "--mail-from", "ceo@sender.example",
            "--dns-zone", Data("ruf.zone"), "--now", "1795338000");
        Assert.Equal(0, code);
        Assert.StartsWith("dmarc=pass policy=sender.example fo=1: fo options that fire: 1", output, StringComparison.Ordinal);
        Assert.Contains("Identity-Alignment: dkim\r\n", output, StringComparison.Ordinal);
    }
}
