namespace DmarcCloud.Cli;

/// <summary>The exit codes of <c>dmarccloud</c> (README "CLI", and <c>dmarccloud --help</c>).</summary>
internal static class CliExitCode
{
    /// <summary>The command did its work (a verdict, a report, a valid file).</summary>
    public const int Success = 0;

    /// <summary>The command ran and the answer is negative: a report matches neither schema, no verdicts to report.</summary>
    public const int Negative = 1;

    /// <summary>Bad arguments: the reason and the command's usage are printed.</summary>
    public const int Usage = 2;

    /// <summary>An input file is missing, unreadable, empty, or not what the command takes (binary for a message).</summary>
    public const int BadInput = 3;

    /// <summary>A service could not be used: storage down or refusing, a malformed connection string, DNS server not answering.</summary>
    public const int Unavailable = 4;

    /// <summary>A fault in dmarccloud itself (a bug): one line, the stack trace only with DMARCCLOUD_TRACE=1.</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code lines for <c>--help</c>.</summary>
    public const string Help =
        "exit codes: 0 done; 1 negative answer (report invalid, nothing to report); 2 bad arguments; " +
        "3 input file missing, unreadable, empty or not a message/report; 4 storage or DNS unavailable or its connection string malformed; " +
        "70 internal error; 130 interrupted";
}
