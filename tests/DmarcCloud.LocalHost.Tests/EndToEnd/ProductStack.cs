using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.LocalServiceBus;
using DmarcCloud.LocalServiceBus.Configuration;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// The whole local stack for the product's end-to-end tests, once per collection: Azurite (on disk, so it can
/// be stopped and started), the local Service Bus (journal on disk, restartable on its port), an SMTP sink, and
/// the local host running the real isolated-worker app (functions/DmarcCloud.Functions). The worker reaches
/// storage through switchable TCP proxies (a storage outage for the worker only); the host's own triggers
/// talk to Azurite directly. Queue retries back off 1 s instead of host.json's 30 s (<see cref="LocalHostOptions.ConfigureHost"/>).
/// </summary>
public sealed class ProductStack : IAsyncLifetime
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(120);

    private readonly string _root = Directory.CreateTempSubdirectory("dmarccloud-e2e-").FullName;
    private (int Blob, int Queue, int Table) _ports;
    private LocalServiceBusBroker? _broker;
    private int _brokerPort;

    public ConcurrentQueue<string> Console { get; } = new();

    public AzuriteProcess? Azurite { get; private set; }

    public string Storage => AzuriteProcess.BuildConnectionString(_ports.Blob, _ports.Queue, _ports.Table);

    public SwitchableTcpProxy[] WorkerStorageProxies { get; private set; } = [];

    public LocalServiceBusBroker Broker => _broker ?? throw new InvalidOperationException("The broker is stopped.");

    public string ServiceBusConnectionString { get; private set; } = "";

    public ServiceBusClient ServiceBus { get; private set; } = null!;

    public SmtpSink Smtp { get; } = new();

    public LocalFunctionsHost Host { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = WaitLimit };

    public static string AppDirectory
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            return RepositoryPaths.Combine("functions", "DmarcCloud.Functions", "bin", configuration, "net10.0");
        }
    }

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync(RepositoryPaths.Root, Path.Combine(_root, "azurite"));
        _ports = (Azurite.BlobPort, Azurite.QueuePort, Azurite.TablePort);
        WorkerStorageProxies = [new(_ports.Blob, enabled: true), new(_ports.Queue, enabled: true), new(_ports.Table, enabled: true)];
        await StartBrokerAsync();
        ServiceBusConnectionString = Broker.ConnectionString;
        ServiceBus = new ServiceBusClient(ServiceBusConnectionString);
        var workerStorage = AzuriteProcess.BuildConnectionString(WorkerStorageProxies[0].Port, WorkerStorageProxies[1].Port, WorkerStorageProxies[2].Port);
        Host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            AppDirectory = AppDirectory,
            StorageConnectionString = Storage,
            Settings = new Dictionary<string, string>
            {
                ["ServiceBusConnection"] = ServiceBusConnectionString,
                ["ServiceBusConnection__RetryOptions__MaxRetries"] = "1",
                ["ServiceBusConnection__RetryOptions__TryTimeout"] = "00:00:10",
                ["Dns__ZoneFile"] = RepositoryPaths.Combine("samples", "dns", "demo.zone"),
                ["AggregateReportSchedule"] = "0 0 0 1 1 *", // never during a test: run through the admin API
                ["AggregateJobsDrainSchedule"] = "*/2 * * * * *",
                ["OutboundReportsDrainSchedule"] = "*/2 * * * * *",
                // Failure reports have their own tests (Azure.Tests, on Azurite and the SMTP sink); here the drain stays
                // idle so the aggregate-report tests count only aggregate mail.
                ["FailureReportsDrainSchedule"] = "0 0 0 1 1 *",
                ["Reporting__OrgName"] = "DmarcCloud end-to-end",
                ["Reporting__Email"] = "dmarc-reports@receiver.test",
                ["Reporting__FromAddress"] = "dmarc-reports@receiver.test",
                ["Reporting__SmtpHost"] = "127.0.0.1",
                ["Reporting__SmtpPort"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
                ["Reporting__SmtpSecurity"] = "None",
                ["Reporting__MinimumSendInterval"] = "00:00:00",
            },
            WorkerOnlySettings = new Dictionary<string, string> { ["AzureWebJobsStorage"] = workerStorage },
            ConfigureHost = c => c with { Queues = c.Queues with { VisibilityTimeout = TimeSpan.FromSeconds(1) } },
            QueueMessageLease = TimeSpan.FromSeconds(30),
            BlobPollInterval = TimeSpan.FromMilliseconds(200),
            LogFile = Path.Combine(_root, "host.log"),
            Console = Console.Enqueue,
        });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        await ServiceBus.DisposeAsync();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        foreach (var proxy in WorkerStorageProxies)
        {
            await proxy.DisposeAsync();
        }

        await Smtp.DisposeAsync();
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process still holds a file: the temp folder stays.
        }
    }

    public async Task StopBrokerAsync()
    {
        await Broker.DisposeAsync();
        _broker = null;
    }

    public async Task StartBrokerAsync()
    {
        var options = new LocalServiceBusOptions { Port = _brokerPort, DataDirectory = Path.Combine(_root, "servicebus") };
        foreach (var queue in await QueueConfigFile.LoadAsync(RepositoryPaths.Combine("functions", "DmarcCloud.LocalServiceBus", "queues.json")))
        {
            options.Queues.Add(queue);
        }

        _broker = await LocalServiceBusBroker.StartAsync(options);
        _brokerPort = _broker.Port;
    }

    public async Task StopAzuriteAsync()
    {
        await Azurite!.StopGracefullyAsync();
        Azurite = null;
    }

    public async Task StartAzuriteAsync() =>
        Azurite = await AzuriteProcess.StartAsync(RepositoryPaths.Root, Path.Combine(_root, "azurite"), _ports);

    public string LogTail(int lines = 60)
    {
        var path = Path.Combine(_root, "host.log");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? WaitLimit);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is global::Azure.RequestFailedException or ServiceBusException)
            {
                // Storage or the broker is being restarted by the test: ask again.
            }

            await Task.Delay(250);
        }

        Assert.Fail($"timed out after {(limit ?? WaitLimit).TotalSeconds:0} s waiting for {what}\n{describe?.Invoke()}\n{LogTail()}");
    }

    /// <summary>Uploads every samples/mail manifest message to <c>inbound</c> under a fresh prefix, received on <paramref name="day"/>; returns message key → sample.</summary>
    public async Task<Dictionary<string, SampleMessage>> SubmitSamplesAsync(DateOnly day, int? take = null)
    {
        var container = new BlobContainerClient(Storage, InboundMetadata.Container);
        await container.CreateIfNotExistsAsync();
        var submitted = new Dictionary<string, SampleMessage>(StringComparer.Ordinal);
        foreach (var sample in SampleMessage.ReadManifest().Take(take ?? int.MaxValue))
        {
            var envelope = sample.Envelope with { ReceivedAt = new DateTimeOffset(day.ToDateTime(TimeOnly.FromTimeSpan(sample.Envelope.ReceivedAt.UtcDateTime.TimeOfDay)), TimeSpan.Zero) };
            var blob = container.GetBlobClient($"{day:yyyy/MM/dd}/{Guid.NewGuid():N}-{sample.File}");
            await blob.UploadAsync(sample.Content, new BlobUploadOptions
            {
                Metadata = InboundMetadata.ToMetadata(envelope),
                HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
            });
            var etag = (await blob.GetPropertiesAsync()).Value.ETag.ToString();
            submitted[MessageKey(blob.BlobContainerName, blob.Name, etag)] = sample;
        }

        return submitted;
    }

    /// <summary>The message key as docs/inbound.md defines it: 128-bit hex of SHA-256("container/name\netag").</summary>
    public static string MessageKey(string container, string name, string etag) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{name}\n{etag.Trim('"')}")).AsSpan(0, 16));

    public async Task<List<TableEntity>> RowsAsync(string table)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in new TableClient(Storage, table).QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            // Not created yet: no rows.
        }

        return rows;
    }

    public QueueClient StorageQueue(string name) => new(Storage, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    /// <summary>Every verdict message on <c>verdicts</c> now (peeked, left in place), parsed.</summary>
    public async Task<List<JsonElement>> PeekVerdictsAsync()
    {
        await using var receiver = ServiceBus.CreateReceiver(ResourceNames.VerdictsQueue);
        var all = new List<JsonElement>();
        long? from = null;
        while (true)
        {
            var batch = await receiver.PeekMessagesAsync(250, from);
            if (batch.Count == 0)
            {
                return all;
            }

            all.AddRange(batch.Select(m => JsonDocument.Parse(m.Body.ToMemory()).RootElement.Clone()));
            from = batch[^1].SequenceNumber + 1;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ProductStackCollection : ICollectionFixture<ProductStack>
{
    public const string Name = "the product on the whole local stack";
}

/// <summary>One entry of samples/mail/manifest.json.</summary>
public sealed record SampleMessage(string File, SmtpEnvelope Envelope, string? ExpectDmarc)
{
    public static IReadOnlyList<SampleMessage> ReadManifest()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(RepositoryPaths.Combine("samples", "mail", "manifest.json")));
        return [.. document.RootElement.EnumerateArray().Select(e => new SampleMessage(
            e.GetProperty("file").GetString()!,
            new SmtpEnvelope(
                IPAddress.Parse(e.GetProperty("clientIp").GetString()!),
                e.TryGetProperty("helo", out var helo) ? helo.GetString() : null,
                e.TryGetProperty("mailFrom", out var mailFrom) ? mailFrom.GetString() : null,
                e.TryGetProperty("rcptTo", out var rcpt) ? [.. rcpt.EnumerateArray().Select(r => r.GetString()!)] : [],
                e.TryGetProperty("receivedAt", out var at) ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow,
                e.TryGetProperty("authenticated", out var auth) && auth.GetBoolean()),
            e.TryGetProperty("expectDmarc", out var expect) ? expect.GetString() : null))];
    }

    public BinaryData Content => BinaryData.FromBytes(System.IO.File.ReadAllBytes(RepositoryPaths.Combine("samples", "mail", File)));
}
