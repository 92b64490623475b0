namespace DmarcCloud.LocalHost.Hosting;

/// <summary>Everything the local host needs to play the Functions host for one isolated-worker app.</summary>
public sealed record LocalHostOptions
{
    /// <summary>The app's build or publish output folder (holds worker.config.json, host.json and the app dll).</summary>
    public required string AppDirectory { get; init; }

    /// <summary>A local.settings.json-like file whose <c>Values</c> are the app settings (optional).</summary>
    public string? SettingsPath { get; init; }

    /// <summary>Settings that win over the file and the environment (all of them go to the worker's environment).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Settings for the worker process only, applied last: e.g. a worker that reaches storage through a
    /// fault-injecting proxy while the host's triggers talk to Azurite directly. Not used for %Setting% resolution.
    /// </summary>
    public IReadOnlyDictionary<string, string> WorkerOnlySettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The Azurite connection string (becomes AzureWebJobsStorage); default: the AzureWebJobsStorage setting.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>Overrides worker.config.json's executable (with <see cref="ExecutableArguments"/>).</summary>
    public string? Executable { get; init; }

    /// <summary>Arguments for <see cref="Executable"/> (before the host's <c>--functions-*</c> arguments).</summary>
    public IReadOnlyList<string>? ExecutableArguments { get; init; }

    /// <summary>The HTTP front door's port on 127.0.0.1 (0: a free port).</summary>
    public int HttpPort { get; init; }

    /// <summary>Emulate Event Grid BlobCreated from <see cref="InboundContainer"/> to <see cref="InboundQueue"/>.</summary>
    public bool EmulateBlobEvents { get; init; } = true;

    /// <summary>The watched container.</summary>
    public string InboundContainer { get; init; } = "inbound";

    /// <summary>The Storage queue the BlobCreated events go to.</summary>
    public string InboundQueue { get; init; } = "inbound-events";

    /// <summary>How often the watched container is listed.</summary>
    public TimeSpan BlobPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a received queue message stays invisible while its function runs (renewed at half). The
    /// extension uses 10 minutes; tests shorten it so a message whose settle failed reappears soon.
    /// </summary>
    public TimeSpan QueueMessageLease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long one request of a queue trigger to storage may take before it is retried once and then treated as an
    /// outage (logged, polled again): 30 s. Tests shorten it to stall storage briefly.
    /// </summary>
    public TimeSpan StorageNetworkTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Overrides host.json's extensions.queues.maxPollingInterval (null: host.json, else 2 s locally).</summary>
    public TimeSpan? QueueMaxPollingInterval { get; init; }

    /// <summary>Adjusts host.json as read (tests shorten the queue retry back-off this way).</summary>
    public Func<Configuration.HostConfiguration, Configuration.HostConfiguration>? ConfigureHost { get; init; }

    /// <summary>Functions whose triggers stay off (they can still be run through the admin API).</summary>
    public IReadOnlySet<string> DisabledFunctions { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the worker may take to start and load its functions.</summary>
    public TimeSpan WorkerStartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The full log file (worker stdout/stderr, RpcLog, host events), or null.</summary>
    public string? LogFile { get; init; }

    /// <summary>Also put framework logs and worker console output on the console.</summary>
    public bool Verbose { get; init; }

    /// <summary>Where console lines go (default: standard output).</summary>
    public Action<string>? Console { get; init; }

    /// <summary>The time source of timers.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
