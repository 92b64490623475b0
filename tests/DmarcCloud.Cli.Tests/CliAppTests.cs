using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DmarcCloud.Cli.Tests;

/// <summary>
/// The command line itself (System.CommandLine): help at the top and for each command, unknown commands and options
/// refused with exit 2 before anything runs, and Ctrl+C (SIGINT) ending a command with exit 130.
/// </summary>
public sealed class CliAppTests
{
    private static readonly string Zone = Path.Combine(AppContext.BaseDirectory, "TestData", "dns", "spf.zone");
    private static readonly string Message = Path.Combine(AppContext.BaseDirectory, "TestData", "dmarc", "signed.eml");

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public static TheoryData<string, string> CommandsAndAnOption => new()
    {
        { "spf", "--mail-from <addr>" },
        { "check", "--selector <s>" },
        { "advise", "--reports <file|folder>" },
        { "evaluate", "--discovery <treewalk|psl>" },
        { "dkim", "--now <unix>" },
        { "arc", "--dns-server <host[:port]>" },
        { "submit", "--manifest <manifest.json>" },
        { "report validate", "file.xml[.gz]" },
        { "report build", "--max-bytes <n>" },
        { "ruf build", "--no-redact" },
        { "ingest", "--store" },
    };

    [Theory]
    [MemberData(nameof(CommandsAndAnOption))]
    public async Task Every_command_has_help_with_its_options_and_the_exit_codes(string command, string option)
    {
        var (exit, stdout, stderr) = await Run([.. command.Split(' '), "--help"]);

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.Contains($"dmarccloud {command}", stdout, StringComparison.Ordinal);
        Assert.Contains(option, stdout, StringComparison.Ordinal);
        Assert.Contains("130 interrupted", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Top_level_help_lists_every_command(string help)
    {
        var (exit, stdout, _) = await Run(help);

        Assert.Equal(0, exit);
        foreach (var command in new[] { "advise", "arc", "check", "dkim", "evaluate", "ingest", "report", "ruf", "spf", "submit" })
        {
            Assert.Contains($"\n  {command} ", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_command_is_a_usage_error_with_the_command_list_on_stderr()
    {
        var (exit, stdout, stderr) = await Run();

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("evaluate <message.eml>", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("report", "frobnicate")]
    public async Task An_unknown_command_is_a_usage_error(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("unknown command 'frobnicate'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    // A misspelt switch in front of a value the command needs: before, --jsn took the file name as its value.
    [InlineData("--jsn", "dkim", "--jsn", "MESSAGE", "--dns-zone", "ZONE")]
    [InlineData("--jsn", "dkim", "MESSAGE", "--jsn", "--dns-zone", "ZONE")]
    [InlineData("--jsn", "spf", "--ip", "192.0.2.7", "--jsn", "--helo", "mail.example.com", "--mail-from", "a@example.com", "--dns-zone", "ZONE")]
    [InlineData("--jsn", "ingest", "MESSAGE", "MESSAGE", "--jsn")]
    [InlineData("--bogus", "report", "build", "--domain", "example.com", "--date", "2026-11-30", "--bogus=1")]
    [InlineData("-x", "check", "example.com", "-x", "--dns-zone", "ZONE")]
    public async Task An_unknown_option_is_refused_before_the_command_runs(string option, params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args.Select(a => a switch { "MESSAGE" => Message, "ZONE" => Zone, _ => a }).ToArray());

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains($"unknown option {option}", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_option_that_does_not_apply_to_the_form_used_is_refused()
    {
        // advise --record reads no DNS: --dns-zone beside it is a mistake, not something to ignore.
        var (exit, _, stderr) = await Run("advise", "example.com", "--reports", ".", "--record", "v=DMARC1; p=none", "--dns-zone", Zone);

        Assert.Equal(2, exit);
        Assert.Contains("unknown option --dns-zone", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_interrupts_a_command_waiting_on_storage_with_exit_130()
    {
        // Storage that accepts the connection and never answers: the command waits until SIGINT cancels it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var silent = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "dmarccloud.dll"), "submit", Message, "--client-ip", "192.0.2.1", "--connection-string", silent },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using (await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60)))
            {
                using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                await kill.WaitForExitAsync();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }

            Assert.Equal(130, process.ExitCode);
            Assert.Contains("dmarccloud submit: interrupted", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
