namespace DmarcCloud.Cli;

/// <summary>
/// A failure the command explains in one line, with its exit code (<see cref="CliExitCode.BadInput"/> or
/// <see cref="CliExitCode.Unavailable"/>); no usage text and no stack trace is printed.
/// </summary>
internal sealed class CliFailure(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>A missing, unreadable, empty or unusable input file.</summary>
    public static CliFailure BadInput(string message) => new(CliExitCode.BadInput, message);

    /// <summary>Storage or DNS that cannot be used.</summary>
    public static CliFailure Unavailable(string message, Exception? inner = null) => new(CliExitCode.Unavailable, message, inner);
}
