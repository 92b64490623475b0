using System.Text.Json;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>
/// How to start the worker: the executable and arguments from the app's <c>worker.config.json</c>
/// (<c>defaultExecutablePath</c> <c>dotnet</c>, <c>defaultWorkerPath</c> <c>&lt;App&gt;.dll</c>), the app directory,
/// and the environment (every app setting, plus the variables the worker needs to load functions).
/// </summary>
public sealed record WorkerLaunch
{
    /// <summary>The app's output (or publish) folder: holds worker.config.json, host.json and the app dll.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The program to start (default from worker.config.json: <c>dotnet</c>).</summary>
    public required string Executable { get; init; }

    /// <summary>Arguments before the host's <c>--functions-*</c> arguments (default: the worker dll).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>App settings, passed as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads worker.config.json in <paramref name="appDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">No worker.config.json (not an isolated-worker output folder).</exception>
    /// <exception cref="FormatException">worker.config.json lacks its description.</exception>
    public static WorkerLaunch FromAppDirectory(string appDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var directory = Path.GetFullPath(appDirectory);
        var path = Path.Combine(directory, "worker.config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} not found: build the isolated-worker app first (its output folder holds worker.config.json).", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("description", out var description))
        {
            throw new FormatException($"{path} has no 'description'.");
        }

        var executable = description.TryGetProperty("defaultExecutablePath", out var e) ? e.GetString() : null;
        var worker = description.TryGetProperty("defaultWorkerPath", out var w) ? w.GetString() : null;
        if (string.IsNullOrEmpty(executable) || string.IsNullOrEmpty(worker))
        {
            throw new FormatException($"{path} lacks defaultExecutablePath or defaultWorkerPath.");
        }

        return new WorkerLaunch
        {
            AppDirectory = directory,
            Executable = executable,
            Arguments = [Path.Combine(directory, worker)],
            Settings = settings,
        };
    }

    /// <summary>The full argument list for one worker process.</summary>
    public IReadOnlyList<string> ArgumentsFor(Uri grpcUri, string workerId, string requestId) =>
    [
        .. Arguments,
        "--functions-uri", grpcUri.AbsoluteUri,
        "--functions-worker-id", workerId,
        "--functions-request-id", requestId,
        "--functions-grpc-max-message-length", "2147483647",
    ];

    /// <summary>The environment of one worker process: settings, then the variables the host sets.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(Settings, StringComparer.Ordinal)
        {
            // Without these two the handshake succeeds but every function load fails.
            ["FUNCTIONS_WORKER_DIRECTORY"] = AppDirectory,
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = AppDirectory,
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        };
        environment.TryAdd("AZURE_FUNCTIONS_ENVIRONMENT", "Development");
        return environment;
    }
}
