using Azure.Data.Tables;
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
        new IngestCommand(),
        new ReportBuildCommand(connectionString => new TableVerdictStore(new TableServiceClient(connectionString), new VerdictStoreOptions())),
    ];

    /// <summary>Switches (options without a value) shared by the commands.</summary>
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "json", "help", "mask-ips", "authenticated", "store" };

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
            return 2;
        }
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
    }
}
