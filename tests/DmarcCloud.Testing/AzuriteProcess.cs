using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DmarcCloud.Testing;

/// <summary>
/// Starts Azurite (npm <c>azurite</c>, installed by scripts/setup.sh into ./node_modules) on 127.0.0.1 with
/// Blob, Queue and Table services, and stops it again. Used by scripts/run-local.sh and by the tests.
/// </summary>
/// <remarks>
/// Started with <c>--skipApiVersionCheck</c> (the current SDKs send an API version newer than Azurite knows)
/// and <c>--disableTelemetry</c>. Ports are chosen free unless given.
/// </remarks>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The well-known Azurite development account (public, documented by Microsoft).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known Azurite development account key (public, documented by Microsoft; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly string? _location;

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort, string? location)
    {
        _process = process;
        _location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The Blob service port.</summary>
    public int BlobPort { get; }

    /// <summary>The Queue service port.</summary>
    public int QueuePort { get; }

    /// <summary>The Table service port.</summary>
    public int TablePort { get; }

    /// <summary>A connection string for the Azure SDK clients (Blob, Queue, Table).</summary>
    public string ConnectionString => BuildConnectionString(BlobPort, QueuePort, TablePort);

    /// <summary>The connection string of an Azurite listening on the given ports of 127.0.0.1.</summary>
    public static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    /// <summary>Finds the azurite launcher under <paramref name="repositoryRoot"/>/node_modules/.bin.</summary>
    public static string FindExecutable(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Azurite is not installed at {path}: run scripts/setup.sh first.", path);
    }

    /// <summary>
    /// Starts Azurite and waits until all three services accept connections. With <paramref name="location"/>
    /// null, data is kept in memory only and is gone when the process stops.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(
        string repositoryRoot,
        string? location = null,
        (int Blob, int Queue, int Table)? ports = null,
        CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable(repositoryRoot);
        var (blob, queue, table) = ports ?? (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) { errors.AppendLine(e.Data); } } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var azurite = new AzuriteProcess(process, blob, queue, table, location);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            foreach (var port in new[] { blob, queue, table })
            {
                while (!await AcceptsAsync(port, cancellationToken).ConfigureAwait(false))
                {
                    if (process.HasExited)
                    {
                        string text;
                        lock (errors) { text = errors.ToString(); }
                        throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {text}");
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException($"Azurite did not listen on 127.0.0.1:{port} within 60 s.");
                    }

                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }

            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops Azurite the way Ctrl-C does (SIGTERM), so that an on-disk account is saved before it exits, as
    /// a storage outage that loses nothing; kills it when it has not exited within 15 s.
    /// </summary>
    public async Task StopGracefullyAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            {
                if (kill is not null)
                {
                    await kill.WaitForExitAsync().ConfigureAwait(false);
                }
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Did not stop: DisposeAsync kills it.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops Azurite (and its node child processes).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        _ = _location; // kept on disk on purpose: run-local keeps its data between runs
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
