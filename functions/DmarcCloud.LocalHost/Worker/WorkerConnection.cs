using System.Collections.Concurrent;
using System.Threading.Channels;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Rpc;
using Grpc.Core;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>
/// One worker's event stream, host side: the start-up handshake (WorkerInitRequest → FunctionsMetadataRequest
/// → one FunctionLoadRequest per function; never FunctionLoadRequestCollection, which the .NET worker does not
/// advertise), then any number of invocations in flight. The stream allows one writer at a time, so every
/// outgoing message goes through one channel drained by one pump.
/// </summary>
/// <remarks>Flow and pitfalls: ../shared/notes/isolated-worker-host-protocol.md.</remarks>
internal sealed class WorkerConnection
{
    /// <summary>The host version announced to the worker.</summary>
    public const string HostVersion = "4.1040.0-dmarccloud-local";

    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<WorkerInitResponse> _init = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<FunctionMetadataResponse> _metadata = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HostLog _log;
    private readonly string _appDirectory;

    public WorkerConnection(string workerId, string appDirectory, HostLog log)
    {
        WorkerId = workerId;
        _appDirectory = appDirectory;
        _log = log;
    }

    public string WorkerId { get; }

    /// <summary>Completes when the stream has ended (worker gone or host stopping).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Invocations sent and not answered yet.</summary>
    public int InFlight => _invocations.Count;

    /// <summary>Reads the worker's messages and writes the host's until either side ends the stream.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        var pump = PumpAsync(responses, cancellationToken);
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                Dispatch(requests.Current);
            }
        }
        catch (Exception e) when (e is IOException or Grpc.Core.RpcException or OperationCanceledException or InvalidOperationException)
        {
            _log.Problem($"worker {WorkerId[..8]}: event stream ended: {e.Message}");
        }
        finally
        {
            Close("the worker's event stream ended");
            await pump.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The handshake: init, ask the worker for its functions (worker indexing), load each one. Returns the
    /// loaded functions; a function whose load fails is reported and left out.
    /// </summary>
    public async Task<IReadOnlyList<LoadedFunction>> InitializeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var init = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = _appDirectory,
            FunctionAppDirectory = _appDirectory,
        };
        Send(new StreamingMessage { RequestId = NewId(), WorkerInitRequest = init });
        var initResponse = await Await(_init.Task, "WorkerInitResponse", limit.Token).ConfigureAwait(false);
        if (initResponse.Result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"The worker failed to initialize: {Describe(initResponse.Result)}");
        }

        _log.Host($"worker {WorkerId[..8]} initialized ({initResponse.WorkerMetadata?.RuntimeName} {initResponse.WorkerMetadata?.RuntimeVersion}, worker {initResponse.WorkerVersion})");
        Send(new StreamingMessage { RequestId = NewId(), FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _appDirectory } });
        var metadata = await Await(_metadata.Task, "FunctionMetadataResponse", limit.Token).ConfigureAwait(false);
        if (metadata.Result is { Status: not StatusResult.Types.Status.Success })
        {
            throw new InvalidOperationException($"The worker failed to index its functions: {Describe(metadata.Result)}");
        }

        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asks for host indexing (functions.metadata); this host supports worker indexing only.");
        }

        var loads = new List<(RpcFunctionMetadata Metadata, Task<FunctionLoadResponse> Response)>();
        foreach (var function in metadata.FunctionMetadataResults)
        {
            if (function.Status is { Status: not StatusResult.Types.Status.Success })
            {
                _log.Problem($"function {function.Name} was not indexed: {Describe(function.Status)}");
                continue;
            }

            if (string.IsNullOrEmpty(function.Directory))
            {
                function.Directory = _appDirectory;
            }

            var completion = new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            _loads[function.FunctionId] = completion;
            Send(new StreamingMessage
            {
                RequestId = NewId(),
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
            });
            loads.Add((function, completion.Task));
        }

        var loaded = new List<LoadedFunction>();
        foreach (var (function, response) in loads)
        {
            var result = await Await(response, $"FunctionLoadResponse for {function.Name}", limit.Token).ConfigureAwait(false);
            if (result.Result?.Status != StatusResult.Types.Status.Success)
            {
                _log.Problem($"function {function.Name} failed to load: {Describe(result.Result)}");
                continue;
            }

            try
            {
                loaded.Add(LoadedFunction.FromMetadata(function));
            }
            catch (FormatException e)
            {
                _log.Problem(e.Message);
            }
        }

        return loaded;
    }

    /// <summary>Sends one invocation and waits for its response (or the stream's end, or the timeout).</summary>
    public async Task<InvocationOutcome> InvokeAsync(LoadedFunction function, InvocationRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        request.FunctionId = function.FunctionId;
        var completion = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[request.InvocationId] = completion;
        if (_closed.Task.IsCompleted)
        {
            _invocations.TryRemove(request.InvocationId, out _);
            throw new WorkerUnavailableException("The worker's event stream has ended.") { NotSent = true };
        }

        Send(new StreamingMessage { RequestId = NewId(), InvocationRequest = request });
        try
        {
            var response = await completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return InvocationOutcome.From(request.InvocationId, function.Name, response);
        }
        catch (TimeoutException)
        {
            Send(new StreamingMessage { RequestId = NewId(), InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId } });
            return InvocationOutcome.Failed(request.InvocationId, function.Name, $"Timeout value of {timeout} exceeded by function '{function.Name}' (functionTimeout).");
        }
        finally
        {
            _invocations.TryRemove(request.InvocationId, out _);
        }
    }

    /// <summary>Ends the stream from the host side; every pending invocation fails.</summary>
    public void Close(string reason)
    {
        _outbound.Writer.TryComplete();
        var error = new WorkerUnavailableException($"The worker is gone ({reason}).");
        foreach (var pending in _invocations.Values)
        {
            pending.TrySetException(error);
        }

        foreach (var pending in _loads.Values)
        {
            pending.TrySetException(error);
        }

        _init.TrySetException(error);
        _metadata.TrySetException(error);
        _closed.TrySetResult();
    }

    private void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw new WorkerUnavailableException("The worker's event stream has ended.") { NotSent = true };
        }
    }

    private async Task PumpAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or Grpc.Core.RpcException or OperationCanceledException or InvalidOperationException)
        {
            Close($"writing to the worker failed: {e.Message}");
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryGetValue(message.InvocationResponse.InvocationId, out var invocation))
                {
                    invocation.TrySetResult(message.InvocationResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = message.RpcLog;
                _log.WorkerLog((int)log.Level, log.Category, log.Message, log.Exception is { } ex ? $"{ex.Type}: {ex.Message}" : null);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                _init.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                _metadata.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                if (_loads.TryRemove(message.FunctionLoadResponse.FunctionId, out var load))
                {
                    load.TrySetResult(message.FunctionLoadResponse);
                }

                break;
            default:
                // Heartbeats, status, reload responses and messages this host does not use.
                break;
        }
    }

    private async Task<T> Await<T>(Task<T> task, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_closed.Task.IsCompleted)
        {
            throw new TimeoutException($"The worker did not send {what} in time.");
        }
    }

    private static string Describe(StatusResult? result) =>
        result is null ? "(no result)" : $"{result.Status}: {result.Exception?.Message ?? result.Result}";

    private static string NewId() => Guid.NewGuid().ToString();
}
