using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.LocalHost.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DmarcCloud.LocalHost.Hosting;

/// <summary>
/// The local Functions host: a gRPC endpoint (h2c on a free loopback port) the worker connects to, the worker
/// process under a <see cref="WorkerSupervisor"/>, one driver per trigger (queue, timer, HTTP), the Event
/// Grid BlobCreated emulation, and the HTTP front door with the admin API
/// (<c>POST /admin/functions/{name}</c>, <c>GET /admin/host/status</c>).
/// </summary>
public sealed class LocalFunctionsHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private readonly Dictionary<string, TimerTrigger> _timers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, QueueTriggerListener> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly HostLog _log;
    private readonly TimeSpan _functionTimeout;
    private WebApplication? _grpc;
    private WebApplication? _frontDoor;
    private WorkerSupervisor? _supervisor;
    private BlobCreatedEventSource? _events;
    private readonly ConcurrentDictionary<long, (string Function, DateTimeOffset Started)> _runningInvocations = new();
    private long _invocations;
    private long _failures;

    private LocalFunctionsHost(HostLog log, HostConfiguration configuration, LocalSettings settings)
    {
        _log = log;
        Configuration = configuration;
        Settings = settings;
        _functionTimeout = configuration.FunctionTimeout;
    }

    /// <summary>host.json as read.</summary>
    public HostConfiguration Configuration { get; }

    /// <summary>The app settings.</summary>
    public LocalSettings Settings { get; }

    /// <summary>The front door's base address (HTTP functions and the admin API).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The loaded functions.</summary>
    public IReadOnlyList<LoadedFunction> Functions => _supervisor?.Functions ?? [];

    /// <summary>The worker supervisor (process id, restarts).</summary>
    public WorkerSupervisor Worker => _supervisor ?? throw new InvalidOperationException("Not started.");

    /// <summary>The queue listeners by function name.</summary>
    public IReadOnlyDictionary<string, QueueTriggerListener> QueueListeners => _queues;

    /// <summary>The Event Grid emulation, when on.</summary>
    public BlobCreatedEventSource? BlobEvents => _events;

    /// <summary>Invocations started since the host started.</summary>
    public long Invocations => Interlocked.Read(ref _invocations);

    /// <summary>Invocations running now.</summary>
    public long InFlight => _runningInvocations.Count;

    /// <summary>The invocations running now, as "function (since N s)" (for diagnostics).</summary>
    public IReadOnlyList<string> RunningInvocations =>
        [.. _runningInvocations.Values.Select(r => $"{r.Function} (since {(DateTimeOffset.UtcNow - r.Started).TotalSeconds:0} s)")];

    /// <summary>Starts everything; returns when the worker has loaded its functions and the triggers run.</summary>
    public static async Task<LocalFunctionsHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var appDirectory = Path.GetFullPath(options.AppDirectory);
        var log = new HostLog(options.Console ?? System.Console.WriteLine, options.LogFile, options.Verbose);
        var configuration = await HostConfigurationReader.ReadAsync(Path.Combine(appDirectory, "host.json"), cancellationToken).ConfigureAwait(false);
        if (options.QueueMaxPollingInterval is { } polling)
        {
            configuration = configuration with { Queues = configuration.Queues with { MaxPollingInterval = polling } };
        }

        if (options.ConfigureHost is { } configure)
        {
            configuration = configure(configuration);
        }

        var overrides = new Dictionary<string, string>(options.Settings, StringComparer.OrdinalIgnoreCase);
        if (options.StorageConnectionString is { } storage)
        {
            overrides["AzureWebJobsStorage"] = storage;
        }

        var settings = await LocalSettings.LoadAsync(options.SettingsPath, overrides, cancellationToken).ConfigureAwait(false);
        var host = new LocalFunctionsHost(log, configuration, settings);
        try
        {
            await host.StartCoreAsync(options, appDirectory, cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a function now (the admin API): a timer outside its schedule, a queue function with <paramref name="input"/> as its message.</summary>
    public async Task<InvocationOutcome> RunNowAsync(string functionName, string input, CancellationToken cancellationToken = default)
    {
        if (_timers.TryGetValue(functionName, out var timer))
        {
            return await timer.RunNowAsync(cancellationToken).ConfigureAwait(false);
        }

        var function = Functions.FirstOrDefault(f => f.Name.Equals(functionName, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"No function '{functionName}'.");
        if (function.Is("queueTrigger"))
        {
            var delivery = new QueueDelivery { Id = Guid.NewGuid().ToString(), PopReceipt = "", Body = System.Text.Encoding.UTF8.GetBytes(input), DequeueCount = 1 };
            return await InvokeAsync(function, () => InvocationPayloads.Queue(function.TriggerName, function.Get("dataType"), delivery), cancellationToken).ConfigureAwait(false);
        }

        throw new ArgumentException($"Function '{functionName}' ({function.TriggerType}) cannot be run through the admin API; call its route instead.");
    }

    /// <summary>The status the admin API reports.</summary>
    public JsonObject Status()
    {
        var queues = new JsonObject();
        foreach (var (name, listener) in _queues)
        {
            queues[name] = new JsonObject
            {
                ["queue"] = listener.QueueName,
                ["running"] = listener.Running,
                ["succeeded"] = listener.Succeeded,
                ["failed"] = listener.Failed,
                ["poisoned"] = listener.Poisoned,
            };
        }

        return new JsonObject
        {
            ["workerPid"] = _supervisor?.ProcessId ?? 0,
            ["workerRestarts"] = _supervisor?.Restarts ?? 0,
            ["functions"] = new JsonArray([.. Functions.Select(f => (JsonNode)JsonValue.Create(f.ToString()))]),
            ["invocations"] = new JsonObject { ["started"] = Invocations, ["inFlight"] = InFlight, ["failed"] = Interlocked.Read(ref _failures) },
            ["queues"] = queues,
            ["blobEvents"] = _events is null ? null : new JsonObject { ["known"] = _events.Known, ["announced"] = _events.Announced },
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_frontDoor is not null)
        {
            await _frontDoor.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _frontDoor.DisposeAsync().ConfigureAwait(false);
        }

        // The worker goes first: invocations in flight fail at once (their messages are released) instead of
        // holding the stop up, and no worker outlives the host.
        if (_supervisor is not null)
        {
            await _supervisor.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Problem("some triggers did not stop within 10 s");
        }
        catch (OperationCanceledException)
        {
            // A trigger stopped inside a storage call: the SDK throws its cancellation. That is the stop we asked for,
            // and the rest of the shutdown (gRPC endpoint, log) must still run.
        }

        if (_grpc is not null)
        {
            await _grpc.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _grpc.DisposeAsync().ConfigureAwait(false);
        }

        _log.Host("stopped");
        _log.Dispose();
        _stopping.Dispose();
    }

    private async Task<InvocationOutcome> InvokeAsync(LoadedFunction function, InvocationRequestFactory factory, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _invocations);
        _runningInvocations[number] = (function.Name, DateTimeOffset.UtcNow);
        try
        {
            var outcome = await Worker.InvokeAsync(function.Name, factory(), _functionTimeout, cancellationToken).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                Interlocked.Increment(ref _failures);
                _log.WorkerLog(3, $"Function.{function.Name}", $"invocation {outcome.InvocationId[..8]} failed: {outcome.Error}", null);
            }

            return outcome;
        }
        finally
        {
            _runningInvocations.TryRemove(number, out _);
        }
    }

    private async Task StartCoreAsync(LocalHostOptions options, string appDirectory, CancellationToken cancellationToken)
    {
        var workerSettings = new Dictionary<string, string>(Settings.Values, StringComparer.Ordinal);
        foreach (var (name, value) in options.WorkerOnlySettings)
        {
            workerSettings[name] = value;
        }

        var launch = WorkerLaunch.FromAppDirectory(appDirectory, workerSettings);
        if (options.Executable is { } executable)
        {
            launch = launch with { Executable = executable, Arguments = options.ExecutableArguments ?? [] };
        }

        _supervisor = new WorkerSupervisor(launch, _log, options.WorkerStartTimeout);

        // The gRPC endpoint: h2c only (the worker's client speaks HTTP/2 without TLS).
        var grpcBuilder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = appDirectory });
        grpcBuilder.Logging.ClearProviders();
        grpcBuilder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        grpcBuilder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        grpcBuilder.Services.AddSingleton(_supervisor);
        _grpc = grpcBuilder.Build();
        _grpc.MapGrpcService<FunctionRpcService>();
        await _grpc.StartAsync(cancellationToken).ConfigureAwait(false);
        var grpcUri = new Uri(_grpc.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");

        _log.Host($"gRPC endpoint {grpcUri}; starting the worker from {appDirectory}");
        var functions = await _supervisor.StartAsync(grpcUri, cancellationToken).ConfigureAwait(false);
        StartTriggers(options, functions);
        await StartFrontDoorAsync(options, functions, cancellationToken).ConfigureAwait(false);
    }

    private bool IsDisabled(LocalHostOptions options, LoadedFunction function) =>
        options.DisabledFunctions.Contains(function.Name) || options.DisabledFunctions.Contains("*")
        || (bool.TryParse(Settings.Get($"AzureWebJobs.{function.Name}.Disabled"), out var disabled) && disabled);

    private void StartTriggers(LocalHostOptions options, IReadOnlyList<LoadedFunction> functions)
    {
        var storage = Settings.Get("AzureWebJobsStorage");
        foreach (var function in functions)
        {
            if (IsDisabled(options, function))
            {
                _log.Host($"[{function.Name}] disabled: its trigger stays off (the admin API can still run it)");
            }

            if (function.Is("queueTrigger"))
            {
                var queueName = Settings.Resolve(function.Require("queueName"));
                var connection = ConnectionString(function.Get("connection"));
                var listener = new QueueTriggerListener(function, connection, queueName, Configuration.Queues, (f, ct) => InvokeAsync(function, f, ct), _log, options.QueueMessageLease, options.StorageNetworkTimeout);
                _queues[function.Name] = listener;
                if (!IsDisabled(options, function))
                {
                    _tasks.Add(RunTrigger($"[{function.Name}] queue trigger", () => listener.RunAsync(_stopping.Token)));
                    _log.Host($"[{function.Name}] queue trigger on {queueName} (batchSize {Configuration.Queues.BatchSize}, newBatchThreshold {Configuration.Queues.EffectiveNewBatchThreshold}, maxDequeueCount {Configuration.Queues.MaxDequeueCount} → {queueName}-poison, encoding {(Configuration.Queues.Base64 ? "base64" : "none")})");
                }
            }
            else if (function.Is("timerTrigger"))
            {
                var schedule = Settings.Resolve(function.Require("schedule"));
                var blobOptions = new BlobClientOptions();
                blobOptions.Retry.MaxRetries = 1;
                var blobs = new BlobServiceClient(storage ?? throw new InvalidOperationException("AzureWebJobsStorage is not set: timers keep their status in storage."), blobOptions);
                var timer = new TimerTrigger(function, schedule, (f, ct) => InvokeAsync(function, f, ct), new ScheduleStatusStore(blobs), options.Time, _log);
                _timers[function.Name] = timer;
                if (!IsDisabled(options, function))
                {
                    _tasks.Add(RunTrigger($"[{function.Name}] timer", () => timer.RunAsync(_stopping.Token)));
                }
            }
            else if (!function.Is("httpTrigger"))
            {
                _log.Problem($"[{function.Name}] trigger type {function.TriggerType} is not supported by the local host; the function is loaded but never triggered");
            }
        }

        if (options.EmulateBlobEvents)
        {
            _events = new BlobCreatedEventSource(
                storage ?? throw new InvalidOperationException("AzureWebJobsStorage is not set: the Event Grid emulation needs it."),
                options.InboundContainer, options.InboundQueue, options.BlobPollInterval, _log);
            _tasks.Add(RunTrigger("[event-grid] emulation", () => _events.RunAsync(_stopping.Token)));
            _log.Host($"[event-grid] BlobCreated for new blobs in {options.InboundContainer} → queue {options.InboundQueue}");
        }
    }

    /// <summary>
    /// Runs a trigger's loop. The loops handle storage faults themselves and end only when the host stops; one that
    /// ends otherwise (a bug) is reported in the log at once rather than found as a silent queue backlog.
    /// </summary>
    private Task RunTrigger(string what, Func<Task> loop) => Task.Run(async () =>
    {
        try
        {
            await loop().ConfigureAwait(false);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            _log.Problem($"{what} stopped: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            throw;
        }

        if (!_stopping.IsCancellationRequested)
        {
            _log.Problem($"{what} stopped before the host did");
        }
    });

    private string ConnectionString(string? connection)
    {
        var name = string.IsNullOrEmpty(connection) ? "AzureWebJobsStorage" : connection;
        return Settings.Get(name) ?? Settings.Get("AzureWebJobs" + name)
            ?? throw new InvalidOperationException($"The connection setting '{name}' is not set (identity-based __serviceUri settings are for Azure; locally give a connection string).");
    }

    private async Task StartFrontDoorAsync(LocalHostOptions options, IReadOnlyList<LoadedFunction> functions, CancellationToken cancellationToken)
    {
        var frontDoor = new HttpFrontDoor(Configuration.HttpRoutePrefix, functions, InvokeAsync);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.HttpPort));
        _frontDoor = builder.Build();
        _frontDoor.MapPost("/admin/functions/{name}", async (string name, HttpContext context) =>
        {
            var input = "";
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                try
                {
                    var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                    input = body?["input"]?.GetValue<string>() ?? "";
                }
                catch (JsonException)
                {
                    return Results.BadRequest(new { error = "The body must be {\"input\": \"...\"}." });
                }
            }

            try
            {
                var outcome = await RunNowAsync(name, input, context.RequestAborted).ConfigureAwait(false);
                return Results.Json(new { invocationId = outcome.InvocationId, succeeded = outcome.Succeeded, error = outcome.Error }, statusCode: 202);
            }
            catch (KeyNotFoundException e)
            {
                return Results.NotFound(new { error = e.Message });
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(new { error = e.Message });
            }
        });
        _frontDoor.MapGet("/admin/host/status", () => Results.Text(Status().ToJsonString(), "application/json"));
        _frontDoor.MapFallback(frontDoor.HandleAsync);
        await _frontDoor.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _frontDoor.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        foreach (var route in frontDoor.Describe())
        {
            _log.Host($"http {route}");
        }

        _log.Host($"front door {BaseAddress} (admin: POST {BaseAddress}admin/functions/{{name}})");
    }
}
