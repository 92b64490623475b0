using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Net.Http;
using System.Net.Sockets;
using Azure;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Cli.Commands;

namespace DmarcCloud.Cli;

/// <summary>
/// `dmarccloud &lt;command&gt; …` on System.CommandLine: the parser finds the command, rejects unknown options and
/// answers <c>--help</c> (at the top and for each command); the command runs with the exit codes of
/// <see cref="CliExitCode"/>. Callable in-process by tests.
/// </summary>
internal static class CliApp
{
    /// <summary>Every command; two-word names (`report build`) sit under a group command (`report`).</summary>
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

    /// <summary>The descriptions of the group commands (the first word of two-word commands).</summary>
    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["report"] = "build and validate DMARC aggregate reports",
        ["ruf"] = "build DMARC failure reports",
    };

    /// <summary>
    /// Runs one command line. <paramref name="handleTermination"/> (the real process) lets Ctrl+C and SIGTERM cancel
    /// the command: it stops at its next await and exits 130; tests cancel through <paramref name="cancellationToken"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default, bool handleTermination = false)
    {
        var root = BuildRoot(output, error);
        var parse = root.Parse(args is ["help", .. var rest] ? ["--help", .. rest] : args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(2) : null,
        };

        if (parse.Action is ParseErrorAction)
        {
            return UsageError(root, parse, error);
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand BuildRoot(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("dmarccloud: DMARC, SPF, DKIM and ARC from the command line (RFC 9989, 7208, 6376, 8617), and the platform's reports")
        {
            HelpName = "dmarccloud", // also in-process (tests), where the executable is the test host
        };
        foreach (var command in Commands.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var words = command.Name.Split(' ');
            Command parent = root;
            foreach (var group in words[..^1])
            {
                parent = parent.Subcommands.FirstOrDefault(s => s.Name == group) ?? Add(parent, new Command(group, Groups[group]));
            }

            var leaf = new Command(words[^1], command.Description);
            foreach (var symbol in command.Parameters)
            {
                switch (symbol)
                {
                    case Option option:
                        leaf.Options.Add(option);
                        break;
                    case Argument argument:
                        leaf.Arguments.Add(argument);
                        break;
                }
            }

            leaf.SetAction((parse, cancellationToken) => RunCommandAsync(command, new CliArguments(parse, leaf), output, error, cancellationToken));
            parent.Subcommands.Add(leaf);
        }

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
        return root;
    }

    private static Command Add(Command parent, Command child)
    {
        parent.Subcommands.Add(child);
        return child;
    }

    /// <summary>A parse error: the reason and the command's usage (or the command list), exit 2.</summary>
    private static int UsageError(RootCommand root, ParseResult parse, TextWriter error)
    {
        var command = Commands.FirstOrDefault(c => c.Name == Path(parse));
        var reason = parse.UnmatchedTokens.FirstOrDefault(t => t.Length > 1 && t[0] == '-') is { } unknownOption ? $"unknown option {unknownOption}"
            : parse.Errors.FirstOrDefault(e => e.Message.StartsWith("unknown option ", StringComparison.Ordinal))?.Message
            ?? (parse.UnmatchedTokens.FirstOrDefault() is { } extra ? (command is null ? $"unknown command '{extra}'" : $"unexpected argument '{extra}'")
            : parse.Errors[0].Message);
        if (command is not null)
        {
            error.WriteLine($"dmarccloud {command.Name}: {reason}");
            error.WriteLine($"usage: {command.Usage}");
            return CliExitCode.Usage;
        }

        // No command, an unknown one, or a group without its sub-command: the list of commands.
        var path = Path(parse);
        error.WriteLine(path.Length == 0 ? $"dmarccloud: {reason}" : $"dmarccloud {path}: {reason}");
        root.Parse([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]).Invoke(new InvocationConfiguration { Output = error });
        return CliExitCode.Usage;
    }

    private static string Path(ParseResult parse)
    {
        var words = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            words.Insert(0, result.Command.Name);
        }

        return string.Join(' ', words);
    }

    private static async Task<int> RunCommandAsync(ICliCommand command, CliArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
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

    /// <summary>System.CommandLine's help, then the exit codes.</summary>
    private sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            help.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(CliExitCode.Help);
            return CliExitCode.Success;
        }
    }
}
