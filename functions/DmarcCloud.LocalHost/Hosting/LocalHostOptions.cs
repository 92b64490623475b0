namespace DmarcCloud.LocalHost.Hosting;

/// <summary>Everything the local runner needs to play the Functions host.</summary>
public sealed record LocalHostOptions
{
    /// <summary>The app root: the folder holding host.json (the repository root for DmarcCloud).</summary>
    public required string AppRoot { get; init; }

    /// <summary>Where the <c>&lt;Function&gt;/function.json</c> folders are (default: functions/DmarcCloud.Functions under the app root).</summary>
    public string? FunctionsDirectory { get; init; }

    /// <summary>A local.settings.json-like file whose <c>Values</c> are the app settings (optional).</summary>
    public string? SettingsPath { get; init; }

    /// <summary>Settings that win over the file and the environment.</summary>
    public IReadOnlyDictionary<string, string> SettingOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Settings for the handler process only, applied last (after the runner's own <c>AzureWebJobsStorage</c>,
    /// <c>FUNCTIONS_WORKER_RUNTIME</c> and <c>AZURE_FUNCTIONS_ENVIRONMENT</c>): e.g. a handler that reaches
    /// storage through a fault-injecting proxy while the runner talks to Azurite directly. Not used for
    /// <c>%Setting%</c> resolution in function.json.
    /// </summary>
    public IReadOnlyDictionary<string, string> HandlerSettingOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>The Azurite connection string (becomes AzureWebJobsStorage); default: the AzureWebJobsStorage setting.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>Overrides host.json's defaultExecutablePath (e.g. <c>dotnet</c> or a published AOT binary).</summary>
    public string? Executable { get; init; }

    /// <summary>Overrides host.json's arguments (used when <see cref="Executable"/> is set).</summary>
    public IReadOnlyList<string>? ExecutableArguments { get; init; }

    /// <summary>The runner's HTTP port on 127.0.0.1 (0: a free port).</summary>
    public int Port { get; init; }

    /// <summary>Service Bus MaxDeliveryCount before dead-lettering (default 10, as Service Bus).</summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>The message lock (visibility timeout); default: host.json serviceBus maxAutoLockRenewalDuration or 5 min.</summary>
    public TimeSpan? LockDuration { get; init; }

    /// <summary>Emulate Event Grid BlobCreated from <see cref="InboundContainer"/> to <see cref="InboundQueue"/>.</summary>
    public bool EmulateBlobEvents { get; init; } = true;

    /// <summary>The watched container.</summary>
    public string InboundContainer { get; init; } = "inbound";

    /// <summary>The queue the BlobCreated events go to.</summary>
    public string InboundQueue { get; init; } = "inbound-mail";

    /// <summary>How often the watched container is listed.</summary>
    public TimeSpan BlobPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where log lines go (default: standard output).</summary>
    public Action<string>? Log { get; init; }
}
