namespace DmarcCloud.Cli;

/// <summary>One `dmarccloud` sub-command.</summary>
internal interface ICliCommand
{
    /// <summary>The word that selects the command (`spf`, `dkim`, `report build`, …).</summary>
    string Name { get; }

    /// <summary>One-line usage, shown by `dmarccloud help` and on bad arguments.</summary>
    string Usage { get; }

    /// <summary>Runs the command. Returns the exit code: 0 when it ran, 2 on bad arguments (throw <see cref="CliUsageException"/>).</summary>
    Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken);
}
