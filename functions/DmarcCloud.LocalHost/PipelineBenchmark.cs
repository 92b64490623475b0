using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.LocalHost;

/// <summary>
/// Whole-process throughput of runner + handler + Azurite (scripts/bench-pipeline.sh): puts N inputs in
/// (Service Bus messages on a queue, or blobs in the inbound container), and times until N results are
/// counted on an output queue. Reports messages/s and the handler's peak RSS.
/// </summary>
internal static class PipelineBenchmark
{
    public static async Task<int> RunAsync(RunnerArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var storage = arguments.Get("storage") ?? throw new ArgumentException("--storage is required.");
        var runner = new Uri((arguments.Get("runner") ?? throw new ArgumentException("--runner is required.")).TrimEnd('/') + "/");
        var count = arguments.GetInt("count", 200);
        var expectQueue = arguments.Get("expect-queue") ?? "verdicts";
        var expectCount = arguments.GetInt("expect-count", count);
        var timeout = TimeSpan.FromSeconds(arguments.GetInt("timeout", 600));
        var outputQueue = new QueueClient(storage, expectQueue);
        await outputQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var before = (await outputQueue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;

        var clock = Stopwatch.StartNew();
        if (arguments.Get("queue") is { } inputQueue)
        {
            var queue = new QueueClient(storage, inputQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var body = arguments.Get("body") ?? "bench";
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
                await queue.SendMessageAsync(LocalServiceBusEnvelope.FromText(body, messageId: $"bench-{i}").Encode(), ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        else
        {
            var file = arguments.Get("file") ?? throw new ArgumentException("--queue or --file is required.");
            var content = BinaryData.FromBytes(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false));
            var container = new BlobContainerClient(storage, arguments.Get("container") ?? "inbound");
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var metadata = new Dictionary<string, string> { ["clientip"] = arguments.Get("client-ip") ?? "192.0.2.1" };
            var run = Guid.NewGuid().ToString("N")[..8];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
                await container.GetBlobClient($"bench/{run}/{i:D6}.eml").UploadAsync(content, new BlobUploadOptions
                {
                    Metadata = metadata,
                    HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
                }, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }

        var submitted = clock.Elapsed;
        var done = 0;
        while (clock.Elapsed < timeout)
        {
            done = (await outputQueue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount - before;
            if (done >= expectCount)
            {
                break;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        var elapsed = clock.Elapsed;
        using var http = new HttpClient();
        var status = JsonNode.Parse(await http.GetStringAsync(new Uri(runner, "admin/host/status"), cancellationToken).ConfigureAwait(false))!;
        var pid = status["handlerProcessId"]?.GetValue<int>();
        var rss = pid is { } p ? PeakRss(p) : "n/a";
        var ok = done >= expectCount;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{(ok ? "done" : "TIMEOUT")}: {count} in, {done}/{expectCount} out on {expectQueue}; submitted in {submitted.TotalSeconds:0.00} s; " +
            $"total {elapsed.TotalSeconds:0.00} s → {count / elapsed.TotalSeconds:0.0} messages/s; handler peak RSS {rss}; invocations {status["invocations"]?.ToJsonString()}")).ConfigureAwait(false);
        return ok ? 0 : 1;
    }

    private static string PeakRss(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return "n/a";
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? "n/a" : line["VmHWM:".Length..].Trim();
    }
}
