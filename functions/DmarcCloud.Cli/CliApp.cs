using System.Net.Http;
using System.Net.Sockets;
using Azure;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Cli.Commands;

namespace DmarcCloud.Cli;

/// <summary>Dispatches `dmarccloud &lt;command&gt; …` to its command. Callable in-process by tests.</summary>
internal static class CliApp
{
    /// <summary>Every command, longest name first so that two-word commands (`report build`) win.</summary>
    private static readonly ICliCommand[] Commands =
    [
        new SpfCommand(),
        new CheckCommand(),
        new AdviseCommand(),
        new EvaluateCommand(),
        new DkimCommand(),
        new ArcCommand(),
        new SubmitCommand(),
        new ReportValidateCommand(),
        new RufBuildCommand(),
        new IngestCommand(),
        new ReportBuildCommand(connectionString => new TableVerdictStore(CliStorage.Tables(connectionString), new VerdictStoreOptions())),
    ];

    /// <summary>Switches (options without a value) shared by the commands.</summary>
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "json", "help", "mask-ips", "authenticated", "include-body", "canonicalized", "no-redact", "store" };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            WriteHelp(args.Length == 0 ? error : output);
            return args.Length == 0 ? 2 : 0;
        }

        var command = Commands
            .OrderByDescending(c => c.Name.Length)
            .FirstOrDefault(c => Matches(c.Name, args));
        if (command is null)
        {
            error.WriteLine($"dmarccloud: unknown command '{args[0]}'");
            WriteHelp(error);
            return 2;
        }

        var words = command.Name.Split(' ').Length;
        try
        {
            var arguments = new CliArguments(args[words..], Flags);
            return await command.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            error.WriteLine($"dmarccloud {command.Name}: {ex.Message}");
            error.WriteLine($"usage: {command.Usage}");
            return CliExitCode.Usage;
        }
        catch (CliFailure ex)
        {
            return Fail(error, command, ex.ExitCode, ex.Message, ex);
        }
        catch (RequestFailedException ex)
        {
            // Storage answered with an error, or (status 0) could not be reached after the client's retries.
            var what = ex.Status == 0
                ? $"storage is unreachable: {CliStorage.FirstLine(ex.InnerException?.Message ?? ex.Message)}"
                : $"storage refused the request: HTTP {ex.Status} {ex.ErrorCode}";
            return Fail(error, command, CliExitCode.Unavailable, what, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or AggregateException { InnerException: HttpRequestException or RequestFailedException })
        {
            return Fail(error, command, CliExitCode.Unavailable, $"storage is unreachable: {CliStorage.FirstLine(ex.Message)}", ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"dmarccloud {command.Name}: interrupted");
            return CliExitCode.Cancelled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug: still one line (the trace on request), never a crash with a stack trace by default.
            return Fail(error, command, CliExitCode.InternalError, $"internal error: {ex.GetType().Name}: {CliStorage.FirstLine(ex.Message)}", ex);
        }
    }

    private static int Fail(TextWriter error, ICliCommand command, int exitCode, string message, Exception ex)
    {
        error.WriteLine($"dmarccloud {command.Name}: {message}");
        if (Environment.GetEnvironmentVariable("DMARCCLOUD_TRACE") == "1")
        {
            error.WriteLine(ex.ToString());
        }

        return exitCode;
    }

    private static bool Matches(string name, string[] args)
    {
        var words = name.Split(' ');
        return args.Length >= words.Length && words.Select((w, i) => w == args[i]).All(x => x);
    }

    private static void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("usage: dmarccloud <command> [options]");
        foreach (var command in Commands.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            writer.WriteLine($"  {command.Usage}");
        }

        writer.WriteLine(CliExitCode.Help);
    }
}
