using System.IO.Compression;
using System.Net;
using System.Net.Sockets;

namespace DmarcCloud.Cli.Tests.HostileInput;

/// <summary>
/// Issue 14: every infrastructure or input failure is one line on stderr with a documented exit code
/// (3 bad input file, 4 storage/DNS unavailable), never a stack trace and never a verdict for a non-message.
/// </summary>
public sealed class CliFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-failures-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private static void AssertOneLine(string stderr, string start)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.StartsWith(start, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stderr, StringComparison.Ordinal);
    }

    private static string Zone => Path.Combine(AppContext.BaseDirectory, "TestData", "dmarc", "example.zone");

    public static TheoryData<string, byte[], string> NotMessages => new()
    {
        { "empty.eml", [], "is empty" },
        { "binary.eml", [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2, 0xFF, 0xFE], "is not a message" },
        { "nul.eml", "Subject: x\0y\r\nFrom: a@example.com\r\n\r\nbody"u8.ToArray(), "NUL" },
        { "huge-header.eml", [.. "Subject: "u8, .. Enumerable.Repeat((byte)'x', 2 * 1024 * 1024), .. "\r\n\r\nbody"u8], "MaxHeaderBlockBytes" },
    };

    [Theory]
    [MemberData(nameof(NotMessages))]
    public async Task Evaluate_refuses_an_empty_binary_or_oversized_file_with_exit_3(string name, byte[] content, string reason)
    {
        // Before: exit 0 and a verdict for an empty or binary file.
        var (exit, stdout, stderr) = await Run("evaluate", File(name, content), "--ip", "192.0.2.1", "--dns-zone", Zone);
        Assert.Equal(3, exit);
        Assert.Empty(stdout);
        AssertOneLine(stderr, "dmarccloud evaluate: message file");
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dkim")]
    [InlineData("arc")]
    public async Task Dkim_and_arc_refuse_a_missing_or_empty_file_with_exit_3(string command)
    {
        Assert.Equal(3, (await Run(command, Path.Combine(_dir, "missing.eml"), "--dns-zone", Zone)).Exit);
        var (exit, _, stderr) = await Run(command, File("e.eml", []), "--dns-zone", Zone);
        Assert.Equal(3, exit);
        AssertOneLine(stderr, $"dmarccloud {command}: message file");
    }

    [Fact]
    public async Task Report_validate_refuses_corrupt_gzip_with_exit_3()
    {
        // Before: an unhandled InvalidDataException (exit 134 and a stack trace).
        var (exit, _, stderr) = await Run("report", "validate", File("r.xml.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3]));
        Assert.Equal(3, exit);
        AssertOneLine(stderr, "dmarccloud report validate: ");
        Assert.Contains("corrupt", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_validate_refuses_a_gzip_bomb_with_exit_3()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 100; i++)
            {
                gzip.Write(zeros);
            }
        }

        var (exit, _, stderr) = await Run("report", "validate", File("bomb.xml.gz", compressed.ToArray()));
        Assert.Equal(3, exit);
        AssertOneLine(stderr, "dmarccloud report validate: ");
        Assert.Contains("MaxCompressionRatio", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_one_line_and_exit_4()
    {
        // Before: a FormatException stack trace.
        var message = File("m.eml", "From: a@example.com\r\n\r\nbody\r\n"u8.ToArray());
        var (exit, _, stderr) = await Run("submit", message, "--client-ip", "192.0.2.1", "--connection-string", "this is not a connection string");
        Assert.Equal(4, exit);
        AssertOneLine(stderr, "dmarccloud submit: the storage connection string is malformed");

        (exit, _, stderr) = await Run("report", "build", "--domain", "example.com", "--date", "2026-11-30", "--out", _dir, "--connection-string", "AccountName=;;=");
        Assert.Equal(4, exit);
        AssertOneLine(stderr, "dmarccloud report build: the storage connection string is malformed");
    }

    [Fact]
    public async Task Storage_that_is_down_is_one_line_and_exit_4()
    {
        // Before: a RequestFailedException/AggregateException stack trace after the SDK's retries.
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var down = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var message = File("m.eml", "From: a@example.com\r\n\r\nbody\r\n"u8.ToArray());
        var (exit, _, stderr) = await Run("submit", message, "--client-ip", "192.0.2.1", "--connection-string", down);
        Assert.Equal(4, exit);
        AssertOneLine(stderr, "dmarccloud submit: storage is unreachable");

        (exit, _, stderr) = await Run("report", "build", "--domain", "example.com", "--date", "2026-11-30", "--out", _dir, "--connection-string", down);
        Assert.Equal(4, exit);
        AssertOneLine(stderr, "dmarccloud report build: storage is unreachable");
    }

    [Fact]
    public async Task Help_lists_the_exit_codes()
    {
        var (exit, stdout, _) = await Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("3 input file missing", stdout, StringComparison.Ordinal);
        Assert.Contains("4 storage or DNS unavailable", stdout, StringComparison.Ordinal);
    }
}
