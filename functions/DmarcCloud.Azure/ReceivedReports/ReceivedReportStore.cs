using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>
/// Table Storage + Blob layout of received reports (docs/received-reports.md). Every write is an upsert on a key
/// derived from the content, so a retried or repeated ingest writes the same rows; the dedupe index row of an
/// aggregate report (reporting org, report ID) is written last, after everything it stands for.
/// </summary>
public sealed class ReceivedReportStore
{
    private readonly BlobContainerClient _container;
    private readonly ReceivedReportStoreOptions _options;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _created;

    /// <summary>Creates the store.</summary>
    public ReceivedReportStore(TableServiceClient tables, BlobServiceClient blobs, ReceivedReportStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        _options = options ?? new ReceivedReportStoreOptions();
        _container = blobs.GetBlobContainerClient(_options.Container);
        var p = _options.TablePrefix;
        Reports = tables.GetTableClient(p + "Reports");
        Index = tables.GetTableClient(p + "ReportIndex");
        Daily = tables.GetTableClient(p + "Daily");
        Sources = tables.GetTableClient(p + "Sources");
        Failures = tables.GetTableClient(p + "Failures");
        Domains = tables.GetTableClient(p + "Domains");
        Rejections = tables.GetTableClient(p + "Rejections");
    }

    internal TableClient Reports { get; }

    internal TableClient Index { get; }

    internal TableClient Daily { get; }

    internal TableClient Sources { get; }

    internal TableClient Failures { get; }

    internal TableClient Domains { get; }

    internal TableClient Rejections { get; }

    /// <summary>The dedupe key of an aggregate report: SHA-256 of the lower-cased reporting org (else its e-mail) and the report ID.</summary>
    public static string ReportKey(AggregateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var org = report.OrgName.Length > 0 ? report.OrgName : report.Email ?? string.Empty;
        return Hash(org.Trim().ToLowerInvariant() + "\n" + report.ReportId.Trim())[..32];
    }

    /// <summary>The day key <c>yyyyMMdd</c>.</summary>
    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A value usable in a table key: itself when safe, else a hash.</summary>
    public static string KeySafe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var safe = value.Length is > 0 and <= 200 && value.All(c => c is > ' ' and < (char)0x7f and not ('/' or '\\' or '#' or '?' or '|'));
        return safe ? value : "~" + Hash(value)[..32];
    }

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Creates the container and tables when missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (_created)
        {
            return;
        }

        await _createLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_created)
            {
                await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (var table in new[] { Reports, Index, Daily, Sources, Failures, Domains, Rejections })
                {
                    try
                    {
                        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (RequestFailedException ex) when (ex.Status == 409)
                    {
                        // Created concurrently.
                    }
                }

                _created = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>Keeps the raw file under a name derived from its SHA-256 (the same bytes always land on the same blob).</summary>
    public async Task<string> UploadRawAsync(ReadOnlyMemory<byte> raw, string kind, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var hash = Hash(raw.Span);
        var extension = kind switch { "gzip" => ".xml.gz", "zip" => ".zip", "mail" => ".eml", "mbox" => ".mbox", "xml" => ".xml", _ => ".bin" };
        var name = $"{hash[..2]}/{hash}{extension}";
        var blob = _container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(new BinaryData(raw), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(kind) },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already kept: identical bytes.
        }

        return name;
    }

    /// <summary>The raw bytes of a kept file.</summary>
    public async Task<byte[]?> DownloadRawAsync(string blobName, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Whether the aggregate report with this key was completely stored before.</summary>
    public async Task<bool> IsStoredAsync(string reportKey, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var existing = await Index.GetEntityIfExistsAsync<TableEntity>(reportKey[..2], reportKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return existing.HasValue;
    }

    /// <summary>Stores one aggregate report whose records were kept, with the source names already looked up.</summary>
    public Task SaveAggregateAsync(
        AggregateReport report, string blobName, string origin, IReadOnlyDictionary<string, SourceEnrichment> sources, DateTimeOffset ingestedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(sources);
        return SaveAggregateAsync(report, ReportAccumulator.Of(report, int.MaxValue), blobName, origin,
            (_, _) => Task.FromResult(sources), ingestedAt, cancellationToken);
    }

    /// <summary>
    /// Stores one aggregate report from its accumulated figures: per-source rows (100 to a transaction, or packed rows
    /// of 200 sources for a report with more than 1,000; several transactions in flight, each batch's addresses named
    /// by <paramref name="nameSources"/> just before it is written), its daily roll-up row, its report row, the
    /// domain, then the dedupe index.
    /// </summary>
    /// <param name="report">The report (its <c>Records</c> may be empty: the figures come from <paramref name="figures"/>).</param>
    /// <param name="figures">The report's records, accumulated per source.</param>
    /// <param name="blobName">The raw file it was read from.</param>
    /// <param name="origin">Where in the raw file.</param>
    /// <param name="nameSources">Names a batch of source addresses (reverse DNS, service); must not throw for DNS trouble.</param>
    /// <param name="ingestedAt">When.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task SaveAggregateAsync(
        AggregateReport report,
        ReportAccumulator figures,
        string blobName,
        string origin,
        Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, SourceEnrichment>>> nameSources,
        DateTimeOffset ingestedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(nameSources);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var key = ReportKey(report);
        var domain = KeySafe(report.PolicyPublished.Domain);
        var day = report.DateRange.Day;
        var dayKey = DayKey(day);
        var org = report.OrgName.Length > 0 ? report.OrgName : report.Email ?? "(unknown)";
        var warnings = figures.Warning is { } limit ? [.. report.Warnings, limit] : report.Warnings;

        // 1. The per-source figures in the (domain, day) partition: one row per (source address, report), or, for a
        //    report with more than PackAbove sources, rows of up to SourcesPerPackedRow sources each (one property per
        //    source; rows read back as per-source rows by ExpandSourceRows). Row keys depend only on the report's
        //    content, so a retry rewrites the same keys. Several transactions are in flight at once.
        var partition = $"{domain}|{dayKey}";
        var packed = figures.Count > PackAbove;
        var perTransaction = packed ? SourcesPerPackedRow * PackedRowsPerTransaction : TransactionSize;
        var batches = figures.Sources.Chunk(perTransaction).Select((rows, index) => (Index: index, Rows: rows));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.WriteParallelism), CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var names = await nameSources(batch.Rows.Select(pair => pair.Key).Where(ip => ip != ReportAccumulator.OtherSources).ToList(), token).ConfigureAwait(false);
            var actions = new List<TableTransactionAction>(TransactionSize);
            if (packed)
            {
                var first = batch.Index * PackedRowsPerTransaction;
                foreach (var (chunk, offset) in batch.Rows.Chunk(SourcesPerPackedRow).Select((chunk, offset) => (chunk, offset)))
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, PackedRow(partition, first + offset, key, org, chunk, names)));
                }
            }
            else
            {
                foreach (var (ip, sourceFigures) in batch.Rows)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, SourceRow(partition, ip, key, org, sourceFigures, names.GetValueOrDefault(ip))));
                }
            }

            await Sources.SubmitTransactionAsync(actions, token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        // 2. The report's contribution to its day: the daily roll-up of a domain is the sum of its day's rows.
        var daily = new TableEntity(domain, $"{dayKey}|{key}") { ["OrgName"] = org, ["ReportKey"] = key, ["Day"] = dayKey };
        figures.Total.WriteTo(daily);
        await Daily.UpsertEntityAsync(daily, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

        // 3. The report itself.
        var row = new TableEntity(domain, key)
        {
            ["Kind"] = "aggregate",
            ["OrgName"] = report.OrgName,
            ["Email"] = report.Email,
            ["ReportId"] = report.ReportId,
            ["Begin"] = report.DateRange.Begin,
            ["End"] = report.DateRange.End,
            ["Day"] = dayKey,
            ["Format"] = report.Format,
            ["Domain"] = report.PolicyPublished.Domain,
            ["Policy"] = report.PolicyPublished.P,
            ["Blob"] = blobName,
            ["Origin"] = origin,
            ["Sources"] = figures.Count,
            ["Warnings"] = Truncate(JsonSerializer.Serialize(warnings, ReceivedReportsJsonContext.Default.IReadOnlyListString)),
            ["IngestedAt"] = ingestedAt,
        };
        figures.Total.WriteTo(row);
        await Reports.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

        // 4. The domain list.
        await Domains.UpsertEntityAsync(new TableEntity("domain", domain) { ["Domain"] = report.PolicyPublished.Domain }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);

        // 5. Last: the dedupe index. Until it exists, a retry redoes 1–4 onto the same keys.
        await Index.UpsertEntityAsync(new TableEntity(key[..2], key) { ["Domain"] = domain, ["Blob"] = blobName, ["IngestedAt"] = ingestedAt }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The filter that selects the source rows (per-source and packed) of <paramref name="safeDomain"/> on <paramref name="day"/>.</summary>
    internal static string SourcePartitionFilter(string safeDomain, DateOnly day) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {safeDomain + "|" + DayKey(day)}");

    /// <summary>Most entities in one table transaction (the service's limit).</summary>
    private const int TransactionSize = 100;

    /// <summary>Sources of one report above which its per-source figures are written as packed rows.</summary>
    internal const int PackAbove = 1_000;

    /// <summary>Sources in one packed row (one property each, ≤ 1 KiB; an entity holds at most 252 properties and 1 MiB).</summary>
    internal const int SourcesPerPackedRow = 200;

    /// <summary>Packed rows in one transaction (a transaction's payload is limited to 4 MiB).</summary>
    private const int PackedRowsPerTransaction = 10;

    /// <summary>
    /// The per-source rows an entity of the sources table stands for: itself, or, for a packed row (<c>Packed</c> =
    /// number of sources), one synthetic row per source with the same properties a per-source row has.
    /// </summary>
    internal static IEnumerable<TableEntity> ExpandSourceRows(TableEntity entity)
    {
        if (entity.GetInt32("Packed") is not { } count)
        {
            yield return entity;
            yield break;
        }

        var org = entity.GetString("OrgName");
        var reportKey = entity.GetString("ReportKey");
        for (var i = 0; i < count; i++)
        {
            if (entity.GetString(PackedName(i)) is not { } json)
            {
                continue;
            }

            using var document = JsonDocument.Parse(json);
            var values = document.RootElement;
            string? Text(int index) => values[index].ValueKind == JsonValueKind.String ? values[index].GetString() : null;
            var row = new TableEntity(entity.PartitionKey, entity.RowKey) { ["Ip"] = Text(0), ["OrgName"] = org, ["ReportKey"] = reportKey };
            new ReportFigures
            {
                Messages = values[1].GetInt64(),
                DmarcPass = values[2].GetInt64(),
                Quarantined = values[3].GetInt64(),
                Rejected = values[4].GetInt64(),
                SpfPass = values[5].GetInt64(),
                SpfFail = values[6].GetInt64(),
                DkimPass = values[7].GetInt64(),
                DkimFail = values[8].GetInt64(),
                Records = values[9].GetInt64(),
            }.WriteTo(row);
            SetIfNotNull(row, "Ptr", Text(10));
            SetIfNotNull(row, "BaseDomain", Text(11));
            SetIfNotNull(row, "Service", Text(12));
            SetIfNotNull(row, "PtrStatus", Text(13));
            yield return row;
        }
    }

    private static string PackedName(int index) => string.Create(CultureInfo.InvariantCulture, $"S{index:D3}");

    /// <summary>A packed row: sources <c>S000</c>… as JSON arrays <c>[ip, messages, dmarcPass, quarantined, rejected, spfPass, spfFail, dkimPass, dkimFail, records, ptr, baseDomain, service, ptrStatus]</c>.</summary>
    private static TableEntity PackedRow(string partition, int index, string key, string org, KeyValuePair<string, ReportFigures>[] sources, IReadOnlyDictionary<string, SourceEnrichment> names)
    {
        var entity = new TableEntity(partition, string.Create(CultureInfo.InvariantCulture, $"~pack|{key}|{index:D5}"))
        {
            ["ReportKey"] = key,
            ["OrgName"] = org,
            ["Packed"] = sources.Length,
        };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        for (var i = 0; i < sources.Length; i++)
        {
            var (ip, f) = sources[i];
            var name = names.GetValueOrDefault(ip);
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                writer.WriteStringValue(ip);
                foreach (var value in (ReadOnlySpan<long>)[f.Messages, f.DmarcPass, f.Quarantined, f.Rejected, f.SpfPass, f.SpfFail, f.DkimPass, f.DkimFail, f.Records])
                {
                    writer.WriteNumberValue(value);
                }

                foreach (var text in (ReadOnlySpan<string?>)[name?.Ptr, name?.BaseDomain, name?.Service, name?.Status])
                {
                    if (text is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteStringValue(text);
                    }
                }

                writer.WriteEndArray();
            }

            entity[PackedName(i)] = Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        return entity;
    }

    /// <summary>A per-source row: figures that are zero, and names that are unknown, are left out (readers default them).</summary>
    private static TableEntity SourceRow(string partition, string ip, string key, string org, ReportFigures figures, SourceEnrichment? names)
    {
        var entity = new TableEntity(partition, $"{KeySafe(ip)}|{key}")
        {
            ["Ip"] = ip,
            ["ReportKey"] = key,
            ["OrgName"] = org,
        };
        figures.WriteNonZeroTo(entity);
        if (names is not null)
        {
            SetIfNotNull(entity, "Ptr", names.Ptr);
            SetIfNotNull(entity, "BaseDomain", names.BaseDomain);
            SetIfNotNull(entity, "Service", names.Service);
            entity["PtrStatus"] = names.Status;
        }

        return entity;
    }

    private static void SetIfNotNull(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    /// <summary>Stores one failure report under its reported domain; the row key is derived from the raw file and origin.</summary>
    public async Task<bool> SaveFailureAsync(FailureReport report, string blobName, string origin, string rawHash, DateTimeOffset ingestedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var domain = KeySafe(report.ReportedDomain ?? "(unknown)");
        var when = report.ArrivalDate ?? report.ReportDate ?? ingestedAt.ToUnixTimeSeconds();
        var rowKey = $"{when:D12}|{Hash(rawHash + "\n" + origin)[..24]}";
        var existing = await Failures.GetEntityIfExistsAsync<TableEntity>(domain, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (existing.HasValue)
        {
            return false;
        }

        var entity = new TableEntity(domain, rowKey)
        {
            ["Kind"] = "failure",
            ["SourceIp"] = report.SourceIp,
            ["AuthFailure"] = report.AuthFailure,
            ["FeedbackType"] = report.FeedbackType,
            ["ArrivalDate"] = when,
            ["Blob"] = blobName,
            ["Origin"] = origin,
            ["Json"] = Truncate(ReportJson.Serialize(report)),
            ["IngestedAt"] = ingestedAt,
        };
        await Failures.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (report.ReportedDomain is not null)
        {
            await Domains.UpsertEntityAsync(new TableEntity("domain", domain) { ["Domain"] = report.ReportedDomain }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Records an input or item that could not be read, with its reason (never dropped silently).</summary>
    public async Task SaveRejectionAsync(string rawHash, string origin, string reason, string? blobName, string? fileName, string source, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(DayKey(DateOnly.FromDateTime(at.UtcDateTime)), Hash(rawHash + "\n" + origin)[..32])
        {
            ["Origin"] = origin,
            ["Reason"] = Truncate(reason),
            ["Blob"] = blobName,
            ["FileName"] = fileName,
            ["Source"] = source,
            ["At"] = at,
        };
        await Rejections.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every entity of a table query.</summary>
    internal async IAsyncEnumerable<TableEntity> QueryAsync(TableClient table, string filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return entity;
        }
    }

    private static string? Truncate(string? text) => text is null || text.Length <= 30_000 ? text : text[..30_000];

    private static string ContentTypeOf(string kind) => kind switch
    {
        "gzip" => "application/gzip",
        "zip" => "application/zip",
        "mail" => "message/rfc822",
        "mbox" => "application/mbox",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    };
}
