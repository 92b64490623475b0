using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DmarcCloud.LocalHost.Handler;

/// <summary>
/// Runs the custom handler as the host does: picks a free loopback port, starts the process with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, polls <c>GET /</c> until any HTTP answer (30 s limit, then restart),
/// and restarts the process when it dies.
/// </summary>
public sealed class HandlerProcess : IAsyncDisposable
{
    private readonly HandlerProcessOptions _options;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Process? _process;
    private TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _monitor;

    /// <summary>Creates the runner of a handler; <see cref="StartAsync"/> starts it.</summary>
    public HandlerProcess(HandlerProcessOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>The current process id, or null.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts the handler and waits until it answers (throws when it never does).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await StartOnceAsync(cancellationToken).ConfigureAwait(false);
        _monitor = Task.Run(() => MonitorAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>The base address of a ready handler; waits while it (re)starts.</summary>
    public Task<Uri> WaitReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Kills the current process (tests use this to check the restart).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Kill();
        if (_monitor is not null)
        {
            try
            {
                await _monitor.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        if (_process is not null)
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _process.Dispose();
        }

        _probe.Dispose();
        _gate.Dispose();
        _stopping.Dispose();
    }

    private async Task StartOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                var process = Launch(port);
                _process = process;
                Starts++;
                var root = new Uri($"http://127.0.0.1:{port}/");
                if (await WaitForAnswerAsync(process, root, cancellationToken).ConfigureAwait(false))
                {
                    _log($"handler ready on {root} (pid {process.Id}, start {Starts})");
                    _ready.TrySetResult(root);
                    return;
                }

                var why = process.HasExited
                    ? $"exited with code {process.ExitCode}"
                    : $"did not answer GET / within {_options.StartupTimeout.TotalSeconds:0} s";
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (attempt >= 3)
                {
                    throw new InvalidOperationException($"The handler {_options.Executable} {why} ({attempt} attempts).");
                }

                _log($"handler {why}; restarting");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Process Launch(int port)
    {
        var start = new ProcessStartInfo(_options.Executable)
        {
            WorkingDirectory = _options.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _options.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _options.Environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_options.Executable}.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _log("[handler] " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _log("[handler] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitForAnswerAsync(Process process, Uri root, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < _options.StartupTimeout)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await _probe.GetAsync(root, cancellationToken).ConfigureAwait(false);
                return true; // any HTTP answer counts, as in the host's IsWorkerReady
            }
            catch (HttpRequestException)
            {
                await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    private async Task MonitorAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var process = _process!;
            await process.WaitForExitAsync(stopping).ConfigureAwait(false);
            if (stopping.IsCancellationRequested || !_options.RestartOnExit)
            {
                return;
            }

            _ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            _log($"handler exited with code {process.ExitCode}; restarting");
            process.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(500), stopping).ConfigureAwait(false);
            await StartOnceAsync(stopping).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
