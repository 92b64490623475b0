using System.Diagnostics;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Rpc;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>
/// Runs the worker process the way the Functions host does and keeps it running: starts it with the
/// <c>--functions-*</c> arguments, accepts its event stream, initializes and loads its functions, and when the
/// process dies reports it (exit code, last stderr lines in the log), fails the invocations in flight (their
/// triggers retry them) and starts a new worker after a back-off.
/// </summary>
public sealed class WorkerSupervisor : IAsyncDisposable
{
    private readonly WorkerLaunch _launch;
    private readonly HostLog _log;
    private readonly TimeSpan _startTimeout;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource<ReadyWorker> _ready = NewReady();
    private Generation? _current;
    private Uri? _grpcUri;
    private int _restarts;
    private TimeSpan _backoff = TimeSpan.FromSeconds(1);

    /// <summary>Creates the supervisor (nothing starts until <see cref="StartAsync"/>).</summary>
    public WorkerSupervisor(WorkerLaunch launch, HostLog log, TimeSpan? startTimeout = null)
    {
        _launch = launch;
        _log = log;
        _startTimeout = startTimeout ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>The functions the first worker loaded (triggers are set up from these).</summary>
    public IReadOnlyList<LoadedFunction> Functions { get; private set; } = [];

    /// <summary>How many times the worker was restarted.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>The current worker's process id (0 while none runs).</summary>
    public int ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _current is { Process.HasExited: false } g ? g.Process.Id : 0;
            }
        }
    }

    /// <summary>Invocations in flight on the current worker.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _current?.Connection.InFlight ?? 0;
            }
        }
    }

    /// <summary>Starts the first worker and waits until its functions are loaded.</summary>
    /// <exception cref="InvalidOperationException">The worker did not start or load.</exception>
    public async Task<IReadOnlyList<LoadedFunction>> StartAsync(Uri grpcUri, CancellationToken cancellationToken = default)
    {
        _grpcUri = grpcUri;
        var ready = _ready;
        Launch();
        try
        {
            var worker = await ready.Task.WaitAsync(_startTimeout, cancellationToken).ConfigureAwait(false);
            Functions = [.. worker.Functions.Values];
            return Functions;
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"The worker did not load its functions within {_startTimeout.TotalSeconds:0} s; see the log.");
        }
    }

    /// <summary>
    /// Invokes <paramref name="functionName"/>. Waits for a worker when one is (re)starting; an invocation cut
    /// by a worker crash ends as a failure (the trigger decides whether to retry).
    /// </summary>
    public async Task<InvocationOutcome> InvokeAsync(string functionName, InvocationRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.InvocationId))
        {
            request.InvocationId = Guid.NewGuid().ToString();
        }

        for (var attempt = 1; ; attempt++)
        {
            TaskCompletionSource<ReadyWorker> ready;
            lock (_gate)
            {
                ready = _ready;
            }

            ReadyWorker worker;
            try
            {
                worker = await ready.Task.WaitAsync(_startTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return InvocationOutcome.Failed(request.InvocationId, functionName, "No worker became ready in time.");
            }
            catch (WorkerUnavailableException e)
            {
                return InvocationOutcome.Failed(request.InvocationId, functionName, e.Message);
            }

            if (!worker.Functions.TryGetValue(functionName, out var function))
            {
                return InvocationOutcome.Failed(request.InvocationId, functionName, $"The worker has no function '{functionName}'.");
            }

            try
            {
                return await worker.Connection.InvokeAsync(function, request, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (WorkerUnavailableException e) when (e.NotSent && attempt == 1)
            {
                // The stream ended before the process exit was seen: nothing ran, so wait for the next worker.
                OnStreamClosed(worker.Connection);
            }
            catch (WorkerUnavailableException e)
            {
                return InvocationOutcome.Failed(request.InvocationId, functionName, e.Message);
            }
        }
    }

    /// <summary>
    /// The current worker's event stream ended: invocations from now on wait for the next worker instead of failing
    /// on the closed stream, and the process, useless without its stream, is stopped (its exit restarts it).
    /// </summary>
    private void OnStreamClosed(WorkerConnection connection)
    {
        Process? orphan = null;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || _current is not { } current || !ReferenceEquals(current.Connection, connection))
            {
                return;
            }

            if (_ready.Task.IsCompletedSuccessfully && ReferenceEquals(_ready.Task.Result.Connection, connection))
            {
                _ready = NewReady();
            }

            if (!current.Process.HasExited)
            {
                orphan = current.Process;
            }
        }

        if (orphan is not null)
        {
            KillQuietly(orphan);
        }
    }

    /// <summary>Called by the gRPC service when a worker opens its stream: the connection for that worker id, or null.</summary>
    internal WorkerConnection? Accept(string workerId)
    {
        Generation? generation;
        lock (_gate)
        {
            generation = _current is { } g && g.Connection.WorkerId == workerId && !g.Accepted ? g : null;
            if (generation is not null)
            {
                generation.Accepted = true;
            }
        }

        if (generation is null)
        {
            _log.Problem($"a worker with unknown id {workerId} connected; ignored");
            return null;
        }

        _ = InitializeAsync(generation);
        return generation.Connection;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Generation? generation;
        lock (_gate)
        {
            generation = _current;
            _current = null;
        }

        if (generation is not null)
        {
            generation.Connection.Close("the host is stopping");
            await StopProcessAsync(generation.Process).ConfigureAwait(false);
        }

        _ready.TrySetException(new WorkerUnavailableException("The host is stopping."));
        _stopping.Dispose();
    }

    private void Launch()
    {
        var workerId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo(_launch.Executable)
        {
            WorkingDirectory = _launch.AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in _launch.ArgumentsFor(_grpcUri!, workerId, Guid.NewGuid().ToString()))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _launch.Environment())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _log.WorkerConsole(e.Data, isError: false); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _log.WorkerConsole(e.Data, isError: true); } };
        var generation = new Generation(process, new WorkerConnection(workerId, _launch.AppDirectory, _log), DateTimeOffset.UtcNow);
        process.Exited += (_, _) => _ = OnExitedAsync(generation);
        lock (_gate)
        {
            _current = generation;
        }

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _log.Host($"worker {workerId[..8]} started (pid {process.Id}): {_launch.Executable} {string.Join(' ', _launch.Arguments.Select(Path.GetFileName))}");
        _ = WatchStartAsync(generation);
    }

    private async Task WatchStartAsync(Generation generation)
    {
        try
        {
            await Task.Delay(_startTimeout, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!generation.Loaded && !generation.Process.HasExited)
        {
            _log.Problem($"worker {generation.Connection.WorkerId[..8]} did not load its functions within {_startTimeout.TotalSeconds:0} s; killing it");
            KillQuietly(generation.Process);
        }
    }

    private async Task InitializeAsync(Generation generation)
    {
        try
        {
            var functions = await generation.Connection.InitializeAsync(_startTimeout, _stopping.Token).ConfigureAwait(false);
            generation.Loaded = true;
            _log.Host($"worker {generation.Connection.WorkerId[..8]} loaded {functions.Count} function(s): {string.Join(", ", functions)}");
            TaskCompletionSource<ReadyWorker> ready;
            lock (_gate)
            {
                ready = _ready;
            }

            ready.TrySetResult(new ReadyWorker(generation.Connection, functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase)));
            _ = generation.Connection.Closed.ContinueWith(_ => OnStreamClosed(generation.Connection), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or WorkerUnavailableException or OperationCanceledException)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _log.Problem($"worker {generation.Connection.WorkerId[..8]} failed to start: {e.Message}; killing it");
            KillQuietly(generation.Process);
        }
    }

    private async Task OnExitedAsync(Generation generation)
    {
        generation.Connection.Close("the worker process exited");
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        int code;
        try
        {
            code = generation.Process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }

        lock (_gate)
        {
            if (!ReferenceEquals(_current, generation))
            {
                return;
            }

            if (_ready.Task.IsCompleted)
            {
                _ready = NewReady();
            }
        }

        if (DateTimeOffset.UtcNow - generation.Started > TimeSpan.FromMinutes(1))
        {
            _backoff = TimeSpan.FromSeconds(1);
        }

        _log.Problem($"worker {generation.Connection.WorkerId[..8]} (pid {generation.Process.Id}) exited with code {code}; restarting in {_backoff.TotalSeconds:0} s");
        Interlocked.Increment(ref _restarts);
        try
        {
            await Task.Delay(_backoff, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _backoff = TimeSpan.FromSeconds(Math.Min(30, _backoff.TotalSeconds * 2));
        try
        {
            Launch();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            _log.Problem($"the worker could not be restarted: {e.Message}");
        }
    }

    private static async Task StopProcessAsync(Process process)
    {
        KillQuietly(process);
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Already gone, or refuses to die within 10 s: nothing more to do here.
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private static TaskCompletionSource<ReadyWorker> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record ReadyWorker(WorkerConnection Connection, IReadOnlyDictionary<string, LoadedFunction> Functions);

    private sealed class Generation(Process process, WorkerConnection connection, DateTimeOffset started)
    {
        public Process Process { get; } = process;

        public WorkerConnection Connection { get; } = connection;

        public DateTimeOffset Started { get; } = started;

        public bool Accepted { get; set; }

        public volatile bool Loaded;
    }
}
