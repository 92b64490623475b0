namespace DmarcCloud.LocalHost.Hosting;

/// <summary>
/// The local host's one readable log: host events, the worker's stdout/stderr and its <c>RpcLog</c> messages.
/// Everything goes to the log file (when given); the console gets a short status: host lines, warnings and
/// errors, and the functions' own log lines at Information and above (no framework noise) unless verbose.
/// </summary>
public sealed class HostLog : IDisposable
{
    private readonly Action<string> _console;
    private readonly StreamWriter? _file;
    private readonly bool _verbose;
    private readonly object _gate = new();

    /// <summary>Creates the log.</summary>
    /// <param name="console">Where console lines go.</param>
    /// <param name="filePath">The full log file (appended), or null.</param>
    /// <param name="verbose">Also put framework and worker console lines on the console.</param>
    public HostLog(Action<string> console, string? filePath = null, bool verbose = false)
    {
        _console = console;
        _verbose = verbose;
        if (filePath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(filePath))!);
            _file = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    /// <summary>A line about the host itself (always on the console).</summary>
    public void Host(string message) => Write("host", message, toConsole: true);

    /// <summary>A host warning or error (always on the console).</summary>
    public void Problem(string message) => Write("host!", message, toConsole: true);

    /// <summary>A line the worker wrote to stdout or stderr.</summary>
    public void WorkerConsole(string line, bool isError) =>
        Write(isError ? "worker!" : "worker", line, toConsole: _verbose || isError);

    /// <summary>A log record the worker sent over the stream.</summary>
    /// <param name="level">The RpcLog level (0 Trace … 5 Critical).</param>
    /// <param name="category">The category, e.g. <c>Function.EvaluateMessage.User</c>.</param>
    /// <param name="message">The text.</param>
    /// <param name="exception">The exception text, if any.</param>
    public void WorkerLog(int level, string category, string message, string? exception)
    {
        var isUser = category.EndsWith(".User", StringComparison.Ordinal);
        var toConsole = _verbose || level >= 3 || (isUser && level >= 2);
        var text = exception is null ? message : $"{message} | {exception}";
        Write(LevelName(level) + " " + category, text, toConsole);
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();

    private void Write(string source, string message, bool toConsole)
    {
        var line = $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} [{source}] {message}";
        lock (_gate)
        {
            _file?.WriteLine(line);
            if (toConsole)
            {
                _console(line);
            }
        }
    }

    private static string LevelName(int level) => level switch
    {
        0 => "trace",
        1 => "debug",
        2 => "info",
        3 => "warn",
        4 => "error",
        5 => "crit",
        _ => "log",
    };
}
