using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DmarcCloud.LocalHost.Bindings;
using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Handler;
using DmarcCloud.LocalHost.Protocol;
using DmarcCloud.LocalHost.Triggers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DmarcCloud.LocalHost.Hosting;

/// <summary>
/// The local runner: reads host.json and every function.json, starts the custom handler, plays the triggers
/// (Service Bus over Azurite queues, timers, Event Grid BlobCreated) and outputs, and serves the admin API
/// (<c>POST /admin/functions/{name}</c>, <c>GET /admin/host/status</c>) and HTTP triggers (<c>/api/{route}</c>)
/// on 127.0.0.1. A development tool: it plays the Azure Functions host, it is not one.
/// </summary>
public sealed class LocalFunctionsHost : IAsyncDisposable
{
    private readonly LocalHostOptions _options;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly Dictionary<string, TimerTriggerScheduler> _timers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(FunctionMetadata Function, BindingMetadata Trigger, HttpRouteTemplate Route)> _httpRoutes = [];
    private readonly HttpClient _handlerHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
    private HandlerProcess? _handler;
    private WebApplication? _web;
    private FunctionInvoker? _invoker;
    private BlobCreatedEventSource? _blobEvents;

    private LocalFunctionsHost(LocalHostOptions options)
    {
        _options = options;
        var log = options.Log ?? Console.WriteLine;
        _log = line => log($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
    }

    /// <summary>host.json as read.</summary>
    public HostConfiguration Host { get; private set; } = new();

    /// <summary>The functions found.</summary>
    public IReadOnlyList<FunctionMetadata> Functions { get; private set; } = [];

    /// <summary>The Azurite account in use.</summary>
    public LocalStorage Storage { get; private set; } = null!;

    /// <summary>The runner's base address (admin API and HTTP triggers).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The handler process.</summary>
    public HandlerProcess Handler => _handler ?? throw new InvalidOperationException("Not started.");

    /// <summary>Invocation counters.</summary>
    public FunctionInvoker Invoker => _invoker ?? throw new InvalidOperationException("Not started.");

    /// <summary>The Event Grid emulation, when enabled.</summary>
    public BlobCreatedEventSource? BlobEvents => _blobEvents;

    /// <summary>Reads the configuration, starts the handler and every trigger, and serves the HTTP front end.</summary>
    public static async Task<LocalFunctionsHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new LocalFunctionsHost(options);
        try
        {
            await host.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a function now, as the host's <c>POST /admin/functions/{name}</c>.</summary>
    /// <exception cref="KeyNotFoundException">No such function.</exception>
    public async Task<InvocationResult> RunNowAsync(string functionName, string input = "", CancellationToken cancellationToken = default)
    {
        var function = Functions.FirstOrDefault(f => string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"No function named '{functionName}'.");
        if (_timers.TryGetValue(function.Name, out var timer))
        {
            return await timer.RunNowAsync(cancellationToken).ConfigureAwait(false);
        }

        var trigger = function.Trigger;
        var now = TimeProvider.System.GetUtcNow();
        JsonObject payload = trigger.Type.Equals("serviceBusTrigger", StringComparison.OrdinalIgnoreCase)
            ? HostPayloadBuilder.ServiceBus(function.Name, trigger.Name, trigger.IsBinary,
                new ReceivedServiceBusMessage(DmarcCloud.Azure.Messaging.LocalServiceBusEnvelope.FromText(input), 1, now.ToUnixTimeMilliseconds(), now, now.AddDays(14)), now, Guid.NewGuid())
            : HostPayloadBuilder.AdminInput(function.Name, trigger.Name, input, now, Guid.NewGuid());
        return await Invoker.InvokeAsync(function, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        if (_web is not null)
        {
            await _web.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _web.DisposeAsync().ConfigureAwait(false);
        }

        if (_handler is not null)
        {
            await _handler.DisposeAsync().ConfigureAwait(false);
        }

        _handlerHttp.Dispose();
        _stopping.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var appRoot = Path.GetFullPath(_options.AppRoot);
        var hostJson = Path.Combine(appRoot, "host.json");
        Host = File.Exists(hostJson)
            ? await HostConfigurationReader.ReadAsync(hostJson, cancellationToken).ConfigureAwait(false)
            : throw new FileNotFoundException($"host.json not found in {appRoot}.", hostJson);

        var overrides = new Dictionary<string, string>(_options.SettingOverrides, StringComparer.OrdinalIgnoreCase)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
        };
        if (_options.StorageConnectionString is { } connection)
        {
            overrides["AzureWebJobsStorage"] = connection;
        }

        var settings = await LocalSettings.LoadAsync(_options.SettingsPath, overrides, cancellationToken).ConfigureAwait(false);
        var storageConnection = settings.Get("AzureWebJobsStorage")
            ?? throw new InvalidOperationException("No storage: pass the Azurite connection string (--storage) or set AzureWebJobsStorage.");
        Storage = new LocalStorage(storageConnection);

        var functionsDirectory = _options.FunctionsDirectory ?? Path.Combine(appRoot, "functions", "DmarcCloud.Functions");
        Functions = [.. (await FunctionMetadataReader.ReadAllAsync(functionsDirectory, settings, cancellationToken).ConfigureAwait(false))
            .Where(f => !f.Disabled && !string.Equals(settings.Get($"AzureWebJobs.{f.Name}.Disabled"), "true", StringComparison.OrdinalIgnoreCase))];
        _log($"host.json: handler '{Host.ExecutablePath}', functionTimeout {Host.FunctionTimeout}; {Functions.Count} function(s) in {functionsDirectory}: {string.Join(", ", Functions.Select(f => $"{f.Name} ({f.Trigger.Type})"))}");

        _handler = new HandlerProcess(HandlerOptions(appRoot, settings), _log);
        await _handler.StartAsync(cancellationToken).ConfigureAwait(false);
        var client = new HandlerClient(_handlerHttp, _handler.WaitReadyAsync, Host.FunctionTimeout);
        _invoker = new FunctionInvoker(client, new OutputWriter(Storage, _log), _log);

        await StartWebAsync(cancellationToken).ConfigureAwait(false);
        StartTriggers();
        if (_options.EmulateBlobEvents)
        {
            _blobEvents = new BlobCreatedEventSource(Storage, _options.InboundContainer, _options.InboundQueue, _options.BlobPollInterval, TimeProvider.System, _log);
            _loops.Add(Loop("event-grid", _blobEvents.RunAsync));
        }

        _log($"runner ready on {BaseAddress} (admin: POST {BaseAddress}admin/functions/{{name}}, GET {BaseAddress}admin/host/status)");
    }

    private HandlerProcessOptions HandlerOptions(string appRoot, LocalSettings settings)
    {
        var executable = _options.Executable ?? Host.ExecutablePath
            ?? throw new InvalidOperationException("host.json has no customHandler.description.defaultExecutablePath and no executable was given.");
        var arguments = _options.Executable is not null ? _options.ExecutableArguments ?? [] : Host.Arguments;
        var workingDirectory = string.IsNullOrEmpty(Host.WorkingDirectory) ? appRoot : Path.GetFullPath(Path.Combine(appRoot, Host.WorkingDirectory));
        if (!Path.IsPathRooted(executable) && executable.Contains('/', StringComparison.Ordinal))
        {
            executable = Path.GetFullPath(Path.Combine(workingDirectory, executable));
        }

        var environment = new Dictionary<string, string>(settings.Values, StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
            ["AzureWebJobsStorage"] = Storage.ConnectionString,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        };
        foreach (var (name, value) in _options.HandlerSettingOverrides)
        {
            environment[name] = value;
        }

        return new HandlerProcessOptions
        {
            Executable = executable,
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            Environment = environment,
        };
    }

    private void StartTriggers()
    {
        var serviceBusOptions = new ServiceBusTriggerOptions
        {
            MaxDeliveryCount = _options.MaxDeliveryCount,
            LockDuration = _options.LockDuration ?? Host.ServiceBusLockDuration,
            MaxConcurrentCalls = Host.ServiceBusMaxConcurrentCalls,
        };
        var statusStore = new ScheduleStatusStore(Storage);
        foreach (var function in Functions)
        {
            var trigger = function.Trigger;
            switch (trigger.Type.ToLowerInvariant())
            {
                case "servicebustrigger":
                    var listener = new ServiceBusTriggerListener(function, Storage, Invoker, serviceBusOptions, TimeProvider.System, _log);
                    _loops.Add(Loop(function.Name, listener.RunAsync));
                    break;
                case "timertrigger":
                    var timer = new TimerTriggerScheduler(function, Invoker, statusStore, TimeProvider.System, _log);
                    _timers[function.Name] = timer;
                    _loops.Add(Loop(function.Name, timer.RunAsync));
                    break;
                case "httptrigger":
                    _httpRoutes.Add((function, trigger, new HttpRouteTemplate(trigger.Get("route") ?? function.Name)));
                    break;
                default:
                    _log($"[{function.Name}] trigger type '{trigger.Type}' is not played by the local runner; run it with POST /admin/functions/{function.Name}");
                    break;
            }
        }
    }

    private Task Loop(string name, Func<CancellationToken, Task> body) => Task.Run(
        async () =>
        {
            try
            {
                await body(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // stopping
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log($"[{name}] stopped by an error: {e}");
                throw;
            }
        },
        CancellationToken.None);

    private async Task StartWebAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_options.Port.ToString(CultureInfo.InvariantCulture)}");
        var web = builder.Build();
        web.MapGet("/", () => Results.Text("DmarcCloud local runner (development tool playing the Azure Functions host)\n"));
        web.MapGet("/admin/host/status", () => Results.Text(StatusJson().ToJsonString(), "application/json"));
        web.MapPost("/admin/functions/{name}", AdminInvokeAsync);
        web.Map("/" + Host.HttpRoutePrefix + "/{**path}", HttpTriggerAsync);
        await web.StartAsync(cancellationToken).ConfigureAwait(false);
        _web = web;
        var address = web.Urls.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private JsonObject StatusJson() => new()
    {
        ["state"] = "Running",
        ["handlerProcessId"] = _handler?.ProcessId,
        ["handlerStarts"] = _handler?.Starts,
        ["functions"] = new JsonArray([.. Functions.Select(f => (JsonNode?)JsonValue.Create(f.Name))]),
        ["invocations"] = new JsonObject
        {
            ["succeeded"] = Invoker.Succeeded,
            ["failed"] = Invoker.Failed,
            ["protocolErrors"] = Invoker.ProtocolErrors,
            ["inFlight"] = Invoker.InFlight,
        },
        ["blobEvents"] = _blobEvents is null ? null : new JsonObject { ["known"] = _blobEvents.Known, ["announced"] = _blobEvents.Announced },
    };

    private async Task<IResult> AdminInvokeAsync(string name, HttpRequest request)
    {
        var input = "";
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    input = JsonNode.Parse(text)?["input"]?.GetValue<string>() ?? "";
                }
                catch (JsonException e)
                {
                    return Results.BadRequest($"body must be {{\"input\":\"...\"}}: {e.Message}");
                }
            }
        }

        try
        {
            var result = await RunNowAsync(name, input, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var body = new JsonObject { ["invocationId"] = result.InvocationId.ToString(), ["succeeded"] = result.Succeeded, ["error"] = result.Error };
            return Results.Text(body.ToJsonString(), "application/json", statusCode: (int)HttpStatusCode.Accepted);
        }
        catch (KeyNotFoundException)
        {
            return Results.NotFound();
        }
    }

    private async Task HttpTriggerAsync(HttpContext context)
    {
        var path = (string?)context.Request.RouteValues["path"] ?? "";
        foreach (var (function, trigger, route) in _httpRoutes)
        {
            if (route.Match(path) is not { } values)
            {
                continue;
            }

            if (trigger.Methods.Count > 0 && !trigger.Methods.Contains(context.Request.Method.ToUpperInvariant()))
            {
                context.Response.StatusCode = (int)HttpStatusCode.MethodNotAllowed;
                return;
            }

            if (Host.EnableForwardingHttpRequest)
            {
                await HttpForwarder.ForwardAsync(context, _handlerHttp, await Handler.WaitReadyAsync(context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            }

            var snapshot = await HttpForwarder.SnapshotAsync(context.Request, values).ConfigureAwait(false);
            var payload = HostPayloadBuilder.Http(function.Name, trigger.Name, snapshot, TimeProvider.System.GetUtcNow(), Guid.NewGuid());
            var result = await Invoker.InvokeAsync(function, payload, context.RequestAborted).ConfigureAwait(false);
            await HttpForwarder.WriteResponseAsync(context, function, result).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = (int)HttpStatusCode.NotFound;
    }
}
