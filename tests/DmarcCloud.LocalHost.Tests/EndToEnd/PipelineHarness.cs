using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using InboundMetadata = DmarcCloud.Azure.Inbound.InboundMetadata;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// The local runner with the REAL handler (<c>dotnet DmarcCloud.Functions.dll</c>, built by the project
/// reference) on the collection's Azurite, using the production names (container <c>inbound</c>, queues
/// <c>inbound-mail</c>/<c>verdicts</c>, tables <c>Verdicts</c>/<c>ProcessingErrors</c>). The EndToEnd tests run
/// one at a time (one collection), and each starts from an empty inbound container, empty queues and no tables.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public const string InboundQueue = "inbound-mail";
    public const string VerdictsQueue = "verdicts";
    public const string VerdictsTable = "Verdicts";
    public const string ErrorsTable = "ProcessingErrors";
    public const string AccountName = "devstoreaccount1";

    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> _log = new();

    private PipelineHarness(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public LocalFunctionsHost Host { get; private set; } = null!;

    public IReadOnlyCollection<string> Log => _log;

    public BlobContainerClient Inbound => new(ConnectionString, InboundMetadata.Container);

    /// <summary>The built handler, in the configuration this test assembly was built in.</summary>
    public static string HandlerDll
    {
        get
        {
            var configuration = typeof(PipelineHarness).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = RepositoryPaths.Combine("functions", "DmarcCloud.Functions", "bin", configuration, "net10.0", "DmarcCloud.Functions.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The handler is not built at {path} (the test project's ProjectReference builds it).", path);
        }
    }

    /// <summary>Empties the production-named queues and tables, then starts the runner and the real handler.</summary>
    /// <param name="azurite">The collection's Azurite.</param>
    /// <param name="emulateBlobEvents">Whether the runner announces new blobs of <c>inbound</c> on <c>inbound-mail</c>.</param>
    /// <param name="handlerStorage">A different AzureWebJobsStorage for the handler only (e.g. through a proxy).</param>
    public static async Task<PipelineHarness> StartAsync(AzuriteFixture azurite, bool emulateBlobEvents, string? handlerStorage = null)
    {
        var harness = new PipelineHarness(azurite.ConnectionString);
        await harness.ResetAsync();
        var handlerSettings = new Dictionary<string, string>();
        if (handlerStorage is not null)
        {
            handlerSettings["AzureWebJobsStorage"] = handlerStorage;
        }

        harness.Host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            AppRoot = RepositoryPaths.Root,
            Executable = "dotnet",
            ExecutableArguments = [HandlerDll],
            StorageConnectionString = azurite.ConnectionString,
            EmulateBlobEvents = emulateBlobEvents,
            BlobPollInterval = TimeSpan.FromMilliseconds(200),
            MaxDeliveryCount = 10,
            SettingOverrides = new Dictionary<string, string>
            {
                ["Dns__ZoneFile"] = RepositoryPaths.Combine("samples", "dns", "demo.zone"),

                // Only the inbound path is under test: the reporting functions stay off (their schedule must still resolve).
                ["AggregateReportSchedule"] = "0 0 0 1 1 *",
                ["AzureWebJobs.ScheduleAggregateReports.Disabled"] = "true",
                ["AzureWebJobs.BuildAggregateReport.Disabled"] = "true",
                ["AzureWebJobs.SendReport.Disabled"] = "true",
            },
            HandlerSettingOverrides = handlerSettings,
            Log = harness._log.Enqueue,
        });
        return harness;
    }

    public QueueClient Queue(string name) => new(ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    /// <summary>Uploads <paramref name="content"/> to <c>inbound</c> with <paramref name="envelope"/> in its metadata, as <c>dmarccloud submit</c> does.</summary>
    public async Task<BlobClient> SubmitAsync(string fileName, BinaryData content, SmtpEnvelope? envelope)
    {
        var container = Inbound;
        await container.CreateIfNotExistsAsync();
        var name = $"{(envelope?.ReceivedAt ?? DateTimeOffset.UtcNow).UtcDateTime:yyyy/MM/dd}/{Guid.NewGuid():N}-{fileName}";
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(content, new BlobUploadOptions
        {
            Metadata = envelope is null ? null : InboundMetadata.ToMetadata(envelope),
            HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
        });
        return blob;
    }

    /// <summary>The Event Grid BlobCreated event for <paramref name="blob"/>, as the runner's emulation builds it.</summary>
    public static async Task<JsonObject> BlobCreatedAsync(BlobClient blob)
    {
        BlobProperties properties = (await blob.GetPropertiesAsync()).Value;
        return BlobCreatedEvent.Build(
            AccountName, blob.BlobContainerName, blob.Name, blob.Uri, properties.ContentType, properties.ContentLength,
            properties.ETag.ToString(), properties.CreatedOn, Guid.NewGuid());
    }

    public async Task SendAsync(string queue, LocalServiceBusEnvelope envelope)
    {
        var client = Queue(queue);
        await client.CreateIfNotExistsAsync();
        await client.SendMessageAsync(envelope.Encode());
    }

    public async Task<IReadOnlyList<TableEntity>> RowsAsync(string table)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in new TableClient(ConnectionString, table).QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return rows;
    }

    /// <summary>All messages on <paramref name="queue"/> (peeked: they stay).</summary>
    public async Task<IReadOnlyList<LocalServiceBusEnvelope>> PeekAllAsync(string queue)
    {
        var client = Queue(queue);
        if (!await client.ExistsAsync())
        {
            return [];
        }

        PeekedMessage[] peeked = (await client.PeekMessagesAsync(32)).Value;
        return [.. peeked.Select(p => LocalServiceBusEnvelope.Decode(p.MessageText))];
    }

    /// <summary>Messages on <paramref name="queue"/>, visible or not (Azurite's approximate count).</summary>
    public async Task<int> CountAsync(string queue)
    {
        var client = Queue(queue);
        return await client.ExistsAsync() ? (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? WaitLimit);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Timed out after {(timeout ?? WaitLimit).TotalSeconds:0} s waiting for {what}. Runner log (last 80 lines):\n{string.Join('\n', _log.TakeLast(80))}");
    }

    /// <summary>Waits until the inbound queue is empty and no invocation is in flight.</summary>
    public Task WaitIdleAsync(string what) => WaitUntilAsync(
        async () => Host.Invoker.InFlight == 0 && await CountAsync(InboundQueue) == 0, what);

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    private async Task ResetAsync()
    {
        foreach (var queue in new[] { InboundQueue, LocalServiceBusEnvelope.DeadLetterQueueName(InboundQueue), VerdictsQueue, "failure-reports" })
        {
            await Queue(queue).DeleteIfExistsAsync();
        }

        var inbound = Inbound;
        if (await inbound.ExistsAsync())
        {
            await foreach (var blob in inbound.GetBlobsAsync())
            {
                await inbound.DeleteBlobAsync(blob.Name);
            }
        }

        var tables = new TableServiceClient(ConnectionString);
        foreach (var table in new[] { VerdictsTable, "VerdictDomains", ErrorsTable })
        {
            try
            {
                await tables.DeleteTableAsync(table);
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 404)
            {
                // not there yet
            }
        }
    }
}
