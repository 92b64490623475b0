using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DmarcCloud.LocalHost.Hosting;

namespace DmarcCloud.LocalHost;

/// <summary>The runner's command line: run, invoke, wait-idle, table, upload.</summary>
internal static class RunnerCommands
{
    private const string Usage = """
        dmarccloud-localhost: the local Azure Functions host for the isolated-worker app (development tool).

        run --app DIR [--settings FILE] [--set NAME=VALUE]... [--storage CONNECTION_STRING]
            [--http-port N] [--port-file FILE] [--log FILE] [--verbose] [--disable FUNCTION]...
            [--run-now FUNCTION]... [--no-blob-events] [--inbound-container inbound] [--inbound-queue inbound-events]
            [--executable PATH [--executable-arg ARG]...]
            Launches the worker in DIR (the app's build output: worker.config.json, host.json, <App>.dll) and drives
            its triggers until Ctrl-C / SIGTERM.
        invoke FUNCTION --runner URL [--input TEXT]
            POST URL/admin/functions/FUNCTION {"input": TEXT} (the host's admin "run now").
        wait-idle --runner URL --storage CONNECTION_STRING [--timeout 120] [--inbound-container inbound]
            Waits until every inbound blob is announced, the trigger queues are empty and no queue-triggered
            invocation runs (timer functions run on their schedules and are not waited for).
        table NAME --storage CONNECTION_STRING [--columns A,B,C] [--sort COLUMN]
            Prints the entities of an Azurite table.
        coldstart --app DIR --storage CONNECTION_STRING [--runs 5] [--path api/health] [--set NAME=VALUE]...
            Starts the host N times (every trigger off): worker start → functions loaded → first HTTP invocation
            answered, and the worker's RSS then; prints the medians (scripts/bench-coldstart.sh).
        upload FILE... --storage CONNECTION_STRING [--container inbound] [--metadata NAME=VALUE]...
            Uploads files as blobs (content type message/rfc822 for .eml).
        """;

    private static readonly HashSet<string> Flags = ["no-blob-events", "verbose", "help"];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var arguments = new RunnerArguments(args.Skip(1), Flags);
            return args[0] switch
            {
                "run" => await RunHostAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "invoke" => await InvokeAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "wait-idle" => await WaitIdleAsync(arguments, output, error, cancellationToken).ConfigureAwait(false),
                "table" => await PrintTableAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "coldstart" => await ColdStartAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "upload" => await UploadAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentException($"Unknown command '{args[0]}'."),
            };
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"dmarccloud-localhost: {e.Message}\n\n{Usage}").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
    }

    private static string Require(RunnerArguments arguments, string name) =>
        arguments.Get(name) ?? throw new ArgumentException($"--{name} is required.");

    private static async Task<int> RunHostAsync(RunnerArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in arguments.All("set"))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"--set {pair}: expected NAME=VALUE.");
            }

            settings[pair[..eq]] = pair[(eq + 1)..];
        }

        var options = new LocalHostOptions
        {
            AppDirectory = Require(arguments, "app"),
            SettingsPath = arguments.Get("settings"),
            Settings = settings,
            StorageConnectionString = arguments.Get("storage"),
            Executable = arguments.Get("executable"),
            ExecutableArguments = arguments.All("executable-arg"),
            HttpPort = arguments.GetInt("http-port", 0),
            EmulateBlobEvents = !arguments.Has("no-blob-events"),
            InboundContainer = arguments.Get("inbound-container") ?? "inbound",
            InboundQueue = arguments.Get("inbound-queue") ?? "inbound-events",
            DisabledFunctions = new HashSet<string>(arguments.All("disable"), StringComparer.OrdinalIgnoreCase),
            LogFile = arguments.Get("log"),
            Verbose = arguments.Has("verbose"),
            Console = line =>
            {
                lock (output)
                {
                    output.WriteLine(line);
                    output.Flush();
                }
            },
        };
        await using var host = await LocalFunctionsHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
        if (arguments.Get("port-file") is { } portFile)
        {
            await File.WriteAllTextAsync(portFile, host.BaseAddress.ToString(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in arguments.All("run-now"))
        {
            var result = await host.RunNowAsync(name, "", cancellationToken).ConfigureAwait(false);
            options.Console($"run-now {name}: {(result.Succeeded ? "succeeded" : "failed: " + result.Error)}");
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            options.Console("stopping");
        }

        return 0;
    }

    private static async Task<int> ColdStartAsync(RunnerArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in arguments.All("set"))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            settings[eq > 0 ? pair[..eq] : throw new ArgumentException($"--set {pair}: expected NAME=VALUE.")] = pair[(eq + 1)..];
        }

        var runs = arguments.GetInt("runs", 5);
        var path = arguments.Get("path") ?? "api/health";
        var loaded = new List<double>();
        var answered = new List<double>();
        var rss = new List<long>();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        for (var run = 0; run < runs; run++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
            {
                AppDirectory = Require(arguments, "app"),
                StorageConnectionString = Require(arguments, "storage"),
                Settings = settings,
                EmulateBlobEvents = false,
                DisabledFunctions = new HashSet<string>(["*"]),
                Console = _ => { },
            }, cancellationToken).ConfigureAwait(false);
            loaded.Add(clock.Elapsed.TotalMilliseconds);
            using var response = await http.GetAsync(new Uri(host.BaseAddress, path), cancellationToken).ConfigureAwait(false);
            answered.Add(clock.Elapsed.TotalMilliseconds);
            rss.Add(ReadRssKib(host.Worker.ProcessId));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: functions loaded {loaded[^1]:0} ms, first answer ({(int)response.StatusCode}) {answered[^1]:0} ms, worker RSS {rss[^1] / 1024} MiB")).ConfigureAwait(false);
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"median of {runs}: functions loaded {Median(loaded):0} ms, first invocation answered {Median(answered):0} ms, worker RSS {Median([.. rss.Select(r => (double)r)]) / 1024:0} MiB")).ConfigureAwait(false);
        return 0;
    }

    private static long ReadRssKib(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<int> InvokeAsync(RunnerArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var name = arguments.Positionals.FirstOrDefault() ?? throw new ArgumentException("invoke needs a function name.");
        var runner = new Uri(Require(arguments, "runner").TrimEnd('/') + "/");
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var body = new JsonObject { ["input"] = arguments.Get("input") ?? "" };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(runner, "admin/functions/" + Uri.EscapeDataString(name)), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"{(int)response.StatusCode} {text}").ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return 1;
        }

        return JsonNode.Parse(text)?["succeeded"]?.GetValue<bool>() == true ? 0 : 1;
    }

    private static async Task<int> WaitIdleAsync(RunnerArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var runner = new Uri(Require(arguments, "runner").TrimEnd('/') + "/");
        var storage = Require(arguments, "storage");
        var timeout = TimeSpan.FromSeconds(arguments.GetInt("timeout", 120));
        var container = new BlobContainerClient(storage, arguments.Get("inbound-container") ?? "inbound");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTimeOffset.UtcNow + timeout;
        var quiet = 0;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var status = JsonNode.Parse(await client.GetStringAsync(new Uri(runner, "admin/host/status"), cancellationToken).ConfigureAwait(false))!;
            var blobs = 0;
            if (await container.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken).ConfigureAwait(false))
                {
                    _ = item;
                    blobs++;
                }
            }

            var queued = 0;
            long inFlight = 0;
            foreach (var (_, listener) in status["queues"]?.AsObject() ?? [])
            {
                inFlight += listener!["running"]?.GetValue<long>() ?? 0;
                var queue = new QueueClient(storage, (string)listener["queue"]!);
                queued += await queue.ExistsAsync(cancellationToken).ConfigureAwait(false)
                    ? (await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount
                    : 0;
            }

            var known = status["blobEvents"]?["known"]?.GetValue<int>() ?? blobs;
            // Queue-triggered invocations only: timer drains (every few seconds) are never idle and are not inbound work.
            var idle = known >= blobs && queued == 0 && inFlight == 0;
            quiet = idle ? quiet + 1 : 0;
            if (quiet >= 3)
            {
                await output.WriteLineAsync($"idle: {blobs} inbound blob(s) announced, trigger queues empty; invocations {status["invocations"]?.ToJsonString()}").ConfigureAwait(false);
                return 0;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"not idle after {timeout.TotalSeconds:0} s").ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> PrintTableAsync(RunnerArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var name = arguments.Positionals.FirstOrDefault() ?? throw new ArgumentException("table needs a table name.");
        var table = new TableClient(Require(arguments, "storage"), name);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(entity);
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            await output.WriteLineAsync($"(table {name} does not exist)").ConfigureAwait(false);
            return 1;
        }

        var columns = arguments.Get("columns") is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. rows.SelectMany(r => r.Keys).Where(k => k is not ("odata.etag" or "Timestamp")).Distinct(StringComparer.Ordinal)];
        if (arguments.Get("sort") is { } sort)
        {
            rows = [.. rows.OrderBy(r => Cell(r, sort), StringComparer.Ordinal).ThenBy(r => r.RowKey, StringComparer.Ordinal)];
        }

        var cells = rows.Select(r => columns.Select(c => Cell(r, c)).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Min(60, Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(row => row[i].Length)))).ToArray();
        await output.WriteLineAsync(Line(columns, widths)).ConfigureAwait(false);
        await output.WriteLineAsync(string.Join("-+-", widths.Select(w => new string('-', w)))).ConfigureAwait(false);
        foreach (var row in cells)
        {
            await output.WriteLineAsync(Line(row, widths)).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"({rows.Count} row(s) in {name})").ConfigureAwait(false);
        return 0;
    }

    private static string Cell(TableEntity entity, string column) => entity.TryGetValue(column, out var value) && value is not null
        ? (value is DateTimeOffset time ? time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)!).ReplaceLineEndings(" ")
        : "";

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i])));

    private static async Task<int> UploadAsync(RunnerArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count == 0)
        {
            throw new ArgumentException("upload needs at least one file.");
        }

        var container = new BlobContainerClient(Require(arguments, "storage"), arguments.Get("container") ?? "inbound");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in arguments.All("metadata"))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            metadata[eq > 0 ? pair[..eq] : throw new ArgumentException($"--metadata {pair}: expected NAME=VALUE.")] = pair[(eq + 1)..];
        }

        foreach (var file in arguments.Positionals)
        {
            var name = $"{DateTimeOffset.UtcNow:yyyy/MM/dd}/{Guid.NewGuid():N}-{Path.GetFileName(file)}";
            var options = new BlobUploadOptions
            {
                Metadata = metadata,
                HttpHeaders = new BlobHttpHeaders { ContentType = file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) ? "message/rfc822" : "application/octet-stream" },
            };
            await using var stream = File.OpenRead(file);
            await container.GetBlobClient(name).UploadAsync(stream, options, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"uploaded {file} → {container.Name}/{name}").ConfigureAwait(false);
        }

        return 0;
    }
}
