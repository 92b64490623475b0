using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.LocalHost.Worker;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>
/// The local host running the fixture worker app (tests/DmarcCloud.LocalHost.Tests.FixtureApp) on its own
/// Azurite: one HTTP (Echo), one queue (Collect on <see cref="Queue"/>) and one timer (Tick, yearly, so only
/// the past-due start and the admin API fire it) function. Before the host starts, Tick's stored status says
/// it missed a run, so the host must run it once as past due.
/// </summary>
public sealed class FixtureAppHost : IAsyncLifetime
{
    public const string Queue = "fixture-work";

    private AzuriteProcess? _azurite;
    private LocalFunctionsHost? _host;

    public string OutputDirectory { get; } = Directory.CreateTempSubdirectory("dmarccloud-fixture-").FullName;

    public ConcurrentQueue<string> Console { get; } = new();

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Not started.");

    public LocalFunctionsHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The fixture app's build output (same configuration as the tests).</summary>
    public static string AppDirectory
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            return RepositoryPaths.Combine("tests", "DmarcCloud.LocalHost.Tests.FixtureApp", "bin", configuration, "net10.0");
        }
    }

    public static LocalHostOptions Options(string connectionString, string outputDirectory, ConcurrentQueue<string> console, IReadOnlyDictionary<string, string>? workerOnly = null) => new()
    {
        AppDirectory = AppDirectory,
        StorageConnectionString = connectionString,
        Settings = new Dictionary<string, string>
        {
            ["FixtureQueue"] = Queue,
            ["FixtureSchedule"] = "0 0 0 1 1 *",
            ["FixtureOutput"] = outputDirectory,
        },
        WorkerOnlySettings = workerOnly ?? new Dictionary<string, string>(),
        QueueMessageLease = TimeSpan.FromSeconds(20),
        EmulateBlobEvents = false,
        LogFile = Path.Combine(outputDirectory, "host.log"),
        Console = console.Enqueue,
    };

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync(RepositoryPaths.Root);
        var store = new ScheduleStatusStore(new BlobServiceClient(_azurite.ConnectionString));
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
        await store.WriteAsync("Tick", new TimerScheduleStatus(yesterday.AddDays(-1), yesterday, yesterday.AddDays(-1)));
        _host = await LocalFunctionsHost.StartAsync(Options(_azurite.ConnectionString, OutputDirectory, Console));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Directory.Delete(OutputDirectory, recursive: true);
    }

    /// <summary>The lines the fixture's function wrote to its output file (<c>collect</c> or <c>tick</c>).</summary>
    public string[] Lines(string kind)
    {
        var path = Path.Combine(OutputDirectory, kind + ".txt");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>The end of the host's full log (for failure messages).</summary>
    public string LogTail(int lines = 40)
    {
        var path = Path.Combine(OutputDirectory, "host.log");
        if (!File.Exists(path))
        {
            return "(no host.log)";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>Waits until <paramref name="condition"/> holds (generous: the machine is shared).</summary>
    public Task WaitAsync(Func<Task<bool>> condition, string what, int seconds = 90) =>
        WaitUntilAsync(condition, what, seconds, LogTail);

    /// <summary>Waits until <paramref name="condition"/> holds (generous: the machine is shared).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 90, Func<int, string>? diagnostics = null)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {seconds} s waiting for: {what}\n{diagnostics?.Invoke(40)}");
            }

            await Task.Delay(200);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FixtureAppCollection : ICollectionFixture<FixtureAppHost>
{
    public const string Name = "fixture app on the local host";
}
