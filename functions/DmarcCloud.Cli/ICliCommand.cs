using System.CommandLine;

namespace DmarcCloud.Cli;

/// <summary>One `dmarccloud` sub-command.</summary>
internal interface ICliCommand
{
    /// <summary>The words that select the command (`spf`, `dkim`, `report build`, …).</summary>
    string Name { get; }

    /// <summary>One sentence for `dmarccloud --help` and the command's own `--help`.</summary>
    string Description { get; }

    /// <summary>One-line usage, shown on bad arguments.</summary>
    string Usage { get; }

    /// <summary>The arguments and options the command takes, new instances on each call (one parser each run).</summary>
    IReadOnlyList<Symbol> Parameters { get; }

    /// <summary>Runs the command. Returns the exit code: 0 when it ran, 2 on bad arguments (throw <see cref="CliUsageException"/>).</summary>
    Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken);
}
