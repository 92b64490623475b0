// End-to-end throughput of the local pipeline (scripts/bench-pipeline.sh runs this file): N mail blobs into
// `inbound` → the local host's Event Grid emulation → `inbound-events` (Azurite queue) → EvaluateMessage in the real
// isolated worker → N verdict messages on the local Service Bus's `verdicts`; the clock runs from the first upload
// to the Nth verdict message. In the same run, the in-process rate of MessageEvaluator on the same corpus (same
// zone, all cores), and the worker's peak RSS. Not a test: numbers vary with the machine's load.
// Passes (BENCH_PASSES, default all three): emulation (the host announces the blobs, as run-local), direct (each
// event written right after its upload, as Event Grid pushes it; uploads as fast as 8 at a time go), paced (as direct,
// but the uploads offered at BENCH_RATE messages/s, default 250, as a gateway passes mail on: whether the stack keeps
// up with that rate, and its backlog). Azurite's queue costs O(messages in its queues) per request (see
// docs/local-runner.md), so a backlog slows every request: the paced pass measures the stack without one.
// Usage: dotnet run bench-pipeline.cs -- STORAGE_CONNECTION_STRING COUNT APP_DIR REPO_ROOT
#:project ../../functions/DmarcCloud.LocalHost/DmarcCloud.LocalHost.csproj
#:project ../../functions/DmarcCloud.LocalServiceBus/DmarcCloud.LocalServiceBus.csproj
#:project ../../functions/DmarcCloud.Azure/DmarcCloud.Azure.csproj
#:property PublishAot=false

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalServiceBus;
using DmarcCloud.LocalServiceBus.Configuration;

var storage = args[0];
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var app = args[2];
var root = args[3];
var logFile = Path.Combine(root, ".local", "logs", "bench-pipeline-host.log");
Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);

// The corpus: samples/mail with its manifest's envelopes, DNS from samples/dns/demo.zone (as run-local and the e2e tests).
var corpus = new List<(string File, SmtpEnvelope Envelope, byte[] Bytes)>();
using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "samples", "mail", "manifest.json"))))
{
    foreach (var e in manifest.RootElement.EnumerateArray())
    {
        var file = e.GetProperty("file").GetString()!;
        var envelope = new SmtpEnvelope(
            IPAddress.Parse(e.GetProperty("clientIp").GetString()!),
            e.TryGetProperty("helo", out var helo) ? helo.GetString() : null,
            e.TryGetProperty("mailFrom", out var from) ? from.GetString() : null,
            e.TryGetProperty("rcptTo", out var rcpt) ? [.. rcpt.EnumerateArray().Select(r => r.GetString()!)] : [],
            DateTimeOffset.UtcNow.AddDays(-1),
            e.TryGetProperty("authenticated", out var auth) && auth.GetBoolean());
        corpus.Add((file, envelope, File.ReadAllBytes(Path.Combine(root, "samples", "mail", file))));
    }
}

var zoneFile = Path.Combine(root, "samples", "dns", "demo.zone");
Console.WriteLine($"corpus: {corpus.Count} messages of samples/mail, cycled to {count}; {Environment.ProcessorCount} core(s), load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// 1. In-process: one MessageEvaluator, every core, the same N messages.
var evaluator = new MessageEvaluator(ZoneFileParser.Parse(File.ReadAllText(zoneFile)).Zone, new MessageEvaluatorOptions(), TimeProvider.System);
foreach (var (_, envelope, bytes) in corpus)
{
    await evaluator.EvaluateAsync(envelope, bytes); // warm-up (JIT)
}

var inProcess = Stopwatch.StartNew();
await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
{
    var (_, envelope, bytes) = corpus[i % corpus.Count];
    await evaluator.EvaluateAsync(envelope, bytes, ct);
});
inProcess.Stop();
var inProcessRate = count / inProcess.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-process MessageEvaluator: {count} in {inProcess.Elapsed.TotalSeconds:0.00} s = {inProcessRate:0} messages/s"));

// 2. The whole local stack: broker (memory), host + real worker, Azurite (started by the script).
var brokerOptions = new LocalServiceBusOptions();
foreach (var queue in await QueueConfigFile.LoadAsync(Path.Combine(root, "functions", "DmarcCloud.LocalServiceBus", "queues.json")))
{
    brokerOptions.Queues.Add(queue);
}

const string never = "0 0 0 1 1 *";
var passes = (Environment.GetEnvironmentVariable("BENCH_PASSES") ?? "emulation,direct,paced").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var warmup = int.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP"), CultureInfo.InvariantCulture, out var w) ? w : 3000;
var azuritePids = (Environment.GetEnvironmentVariable("BENCH_AZURITE_PID") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
var offeredRate = double.TryParse(Environment.GetEnvironmentVariable("BENCH_RATE"), CultureInfo.InvariantCulture, out var r) ? r : 250;
// The warm-up's uploads are paced too (BENCH_WARMUP_RATE, default BENCH_RATE; 0 = as fast as they go): 3,000 events
// queued at once cost Azurite ~28 ms of CPU per message (its queue is O(length)), and the warm-up would measure that.
var warmupRate = double.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP_RATE"), CultureInfo.InvariantCulture, out var wr) ? wr : offeredRate;
var emulated = passes.Contains("emulation") ? await RunPipelineAsync(Input.Emulation) : double.NaN;
var direct = passes.Contains("direct") ? await RunPipelineAsync(Input.Direct) : double.NaN;
var paced = passes.Contains("paced") ? await RunPipelineAsync(Input.Paced) : double.NaN;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"pipeline / in-process: {100 * emulated / inProcessRate:0.0} % with the Event Grid emulation, {100 * direct / inProcessRate:0.0} % with events written as Event Grid does, {100 * paced / inProcessRate:0.0} % with uploads offered at {offeredRate:0} messages/s (targets: ≥ 200 messages/s and ≥ 50 %); load average now {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
return 0;

// N blobs (the corpus cycled) into `inbound`, 8 uploads at a time; with `writeEvents` each blob's BlobCreated event goes
// to `inbound-events` right after its upload, as Event Grid's push does in Azure. With `rate`, upload i starts no sooner
// than i / rate seconds after the first (a gateway passing mail on at that rate); `uploaded` counts the finished ones.
async Task UploadAsync(BlobContainerClient container, QueueClient events, string prefix, int n, bool writeEvents, double? rate = null, StrongBox<int>? uploaded = null)
{
    var start = Stopwatch.StartNew();
    await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
    {
        if (rate is { } perSecond && TimeSpan.FromSeconds(i / perSecond) - start.Elapsed is { } wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }

        var (file, envelope, bytes) = corpus[i % corpus.Count];
        var blob = container.GetBlobClient($"{prefix}/{i:D6}-{file}");
        var response = await blob.UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions
        {
            Metadata = InboundMetadata.ToMetadata(envelope),
            HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
        }, ct);
        if (writeEvents)
        {
            var e = DmarcCloud.LocalHost.Triggers.BlobCreatedEvent.Build(container.AccountName, container.Name, blob.Name, blob.Uri, "message/rfc822", bytes.Length,
                response.Value.ETag.ToString(), response.Value.LastModified, Guid.NewGuid());
            await events.SendMessageAsync(e.ToJsonString(), ct);
        }

        if (uploaded is not null)
        {
            Interlocked.Increment(ref uploaded.Value);
        }
    });
}

// CPU seconds (user + system) a process has used so far; 0 when it is gone or unknown.
static double CpuSeconds(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // CLK_TCK = 100
    }
    catch (IOException)
    {
        return 0;
    }
}

// CPU seconds per process of the stack: Azurite (node), this driver (uploads + local host + broker), the worker.
(double Azurite, double Driver, double Worker) CpuNow(int workerPid) => (azuritePids.Sum(CpuSeconds), CpuSeconds(Environment.ProcessId), CpuSeconds(workerPid));

// One pass: a fresh broker (memory) and host + worker; N blobs into `inbound`. Emulation: the host's Event Grid
// emulation announces them (as run-local); direct: this driver writes each BlobCreated event to `inbound-events` right
// after its upload, as Event Grid's push does in Azure, so the pass measures queue trigger → worker → Service Bus with
// the uploads on the same cores; paced: as direct, with the uploads offered at `offeredRate` messages/s.
async Task<double> RunPipelineAsync(Input input)
{
    var emulateEventGrid = input == Input.Emulation;
    var mode = input switch
    {
        Input.Emulation => "Event Grid emulation",
        Input.Direct => "events written directly",
        _ => string.Create(CultureInfo.InvariantCulture, $"uploads offered at {offeredRate:0}/s"),
    };
    await using var broker = await LocalServiceBusBroker.StartAsync(brokerOptions);
    var hostStart = Stopwatch.StartNew();
    await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
    {
        AppDirectory = app,
        StorageConnectionString = storage,
        Settings = new Dictionary<string, string>
        {
            ["ServiceBusConnection"] = broker.ConnectionString,
            ["Dns__ZoneFile"] = zoneFile,
            ["AggregateReportSchedule"] = never,
            ["AggregateJobsDrainSchedule"] = never,
            ["OutboundReportsDrainSchedule"] = never,
            ["FailureReportsDrainSchedule"] = never,
            ["Logging__LogLevel__Default"] = "Warning",
        },
        DisabledFunctions = new HashSet<string>(["ScheduleAggregateReports", "BuildAggregateReport", "SendReport", "SendFailureReports"], StringComparer.OrdinalIgnoreCase),
        EmulateBlobEvents = emulateEventGrid,
        BlobPollInterval = TimeSpan.FromMilliseconds(100),
        LogFile = logFile,
        Console = _ => { },
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{mode}] host + worker up in {hostStart.Elapsed.TotalSeconds:0.0} s (worker pid {host.Worker.ProcessId})"));

    var container = new BlobContainerClient(storage, InboundMetadata.Container);
    await container.CreateIfNotExistsAsync();
    var events = new QueueClient(storage, "inbound-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
    await events.CreateIfNotExistsAsync();
    var prefix = Guid.NewGuid().ToString("N")[..8];

    // Warm-up (not timed; BENCH_WARMUP, default 3000, 0 = none): the same stack processes `warmup` messages first, so that the worker and the
    // host run tier-1 code as a worker does after its first minute in Azure (the in-process figure is warmed too). After 500 messages the
    // worker still JIT-compiled 340-480 methods/s (dotnet-counters: tier-1 and dynamic-PGO recompiles) and used 2.7 ms of CPU per message;
    // after 3000, 0.7-0.9 ms.
    if (warmup > 0)
    {
        var warmStart = Stopwatch.StartNew();
        await UploadAsync(container, events, $"{prefix}-warmup", warmup, writeEvents: !emulateEventGrid, warmupRate > 0 ? warmupRate : null);
        while (broker.GetCounts("verdicts").Active < warmup && warmStart.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(20);
        }

        // Then let the tiered JIT finish promoting what the warm-up made hot: wait until the worker and this process
        // use less than 5 % of a core over half a second (at most 30 s).
        var settle = Stopwatch.StartNew();
        var before = CpuNow(host.Worker.ProcessId);
        while (settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(500);
            var now = CpuNow(host.Worker.ProcessId);
            var used = now.Worker - before.Worker + now.Driver - before.Driver;
            before = now;
            if (used < 0.025)
            {
                break;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{mode}] warm-up: {broker.GetCounts("verdicts").Active} of {warmup} messages in {warmStart.Elapsed.TotalSeconds - settle.Elapsed.TotalSeconds:0.0} s, JIT settled after {settle.Elapsed.TotalSeconds:0.0} s more (not timed)"));
    }

    var baseline = broker.GetCounts("verdicts").Active;
    var announcedBefore = host.Status()["blobEvents"]?["announced"]?.GetValue<long>() ?? 0;

    // A marker request for scripts/bench-pipeline/count-requests.py: the storage requests after it belong to this pass.
    await new BlobContainerClient(storage, $"bench-marker-{input.ToString().ToLowerInvariant()}").ExistsAsync();
    var cpuStart = CpuNow(host.Worker.ProcessId);
    var pipeline = Stopwatch.StartNew();
    var uploaded = new StrongBox<int>();
    var uploading = UploadAsync(container, events, prefix, count, writeEvents: !emulateEventGrid, input == Input.Paced ? offeredRate : null, uploaded);

    // The backlog (uploaded, no verdict yet), sampled every 20 ms while the uploads run.
    var maxBacklog = 0;
    while (!uploading.IsCompleted)
    {
        maxBacklog = Math.Max(maxBacklog, Volatile.Read(ref uploaded.Value) - (broker.GetCounts("verdicts").Active - baseline));
        await Task.WhenAny(uploading, Task.Delay(20));
    }

    await uploading;
    var uploadsDone = pipeline.Elapsed;
    var cpuUploads = CpuNow(host.Worker.ProcessId);

    // Stages: when every blob was announced on inbound-events, and when the Nth verdict message arrived.
    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(30);
    TimeSpan? allAnnounced = emulateEventGrid ? null : uploadsDone;
    int verdicts;
    while ((verdicts = broker.GetCounts("verdicts").Active - baseline) < count && DateTime.UtcNow < deadline)
    {
        if (allAnnounced is null && host.Status()["blobEvents"]?["announced"]?.GetValue<long>() - announcedBefore >= count)
        {
            allAnnounced = pipeline.Elapsed;
        }

        await Task.Delay(20);
    }

    pipeline.Stop();
    var cpuEnd = CpuNow(host.Worker.ProcessId);
    allAnnounced ??= pipeline.Elapsed;
    var rate = verdicts / pipeline.Elapsed.TotalSeconds;
    var peakKib = File.ReadLines($"/proc/{host.Worker.ProcessId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"[{mode}] uploads done {uploadsDone.TotalSeconds:0.0} s, every blob announced on inbound-events {allAnnounced.Value.TotalSeconds:0.0} s, last verdict message {pipeline.Elapsed.TotalSeconds:0.0} s ({(pipeline.Elapsed - uploadsDone).TotalSeconds:0.00} s after the last upload); backlog at most {maxBacklog} messages"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"[{mode}] {count} blobs in → {verdicts} verdict messages in {pipeline.Elapsed.TotalSeconds:0.00} s = {rate:0.0} messages/s; worker peak RSS {long.Parse(peakKib, CultureInfo.InvariantCulture) / 1024} MiB; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"[{mode}] CPU s (user+sys) whole pass / during uploads / after uploads: Azurite {cpuEnd.Azurite - cpuStart.Azurite:0.00} / {cpuUploads.Azurite - cpuStart.Azurite:0.00} / {cpuEnd.Azurite - cpuUploads.Azurite:0.00}, "
        + $"driver+host+broker {cpuEnd.Driver - cpuStart.Driver:0.00} / {cpuUploads.Driver - cpuStart.Driver:0.00} / {cpuEnd.Driver - cpuUploads.Driver:0.00}, "
        + $"worker {cpuEnd.Worker - cpuStart.Worker:0.00} / {cpuUploads.Worker - cpuStart.Worker:0.00} / {cpuEnd.Worker - cpuUploads.Worker:0.00}; "
        + $"per message: Azurite {1000 * (cpuEnd.Azurite - cpuStart.Azurite) / count:0.00} ms, driver+host+broker {1000 * (cpuEnd.Driver - cpuStart.Driver) / count:0.00} ms, worker {1000 * (cpuEnd.Worker - cpuStart.Worker) / count:0.00} ms"));
    if (verdicts != count)
    {
        throw new TimeoutException($"[{mode}] only {verdicts} of {count} verdict messages within 30 minutes");
    }

    return rate;
}

internal enum Input
{
    Emulation,
    Direct,
    Paced,
}
