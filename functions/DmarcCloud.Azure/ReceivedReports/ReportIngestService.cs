using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>
/// The one intake path behind every door (inbound mail, CLI <c>--store</c>, HTTP upload): keep the raw input, read it,
/// store each report once (dedupe by reporting org and report ID), name the sources, record every rejection with
/// its reason. Transient storage faults surface as exceptions (the caller retries; every write is idempotent).
/// </summary>
public sealed class ReportIngestService
{
    private readonly ReceivedReportStore _store;
    private readonly SourceEnricher _enricher;
    private readonly ReportIngestOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public ReportIngestService(ReceivedReportStore store, SourceEnricher enricher, ReportIngestOptions? options = null, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _enricher = enricher ?? throw new ArgumentNullException(nameof(enricher));
        _options = options ?? ReportIngestOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Reads and stores the reports in <paramref name="raw"/>.</summary>
    /// <param name="raw">The input bytes (XML, gzip, zip, mail or mbox).</param>
    /// <param name="fileName">The name it arrived under (informative only; never used as a path).</param>
    /// <param name="source">Which door it came through (<c>cli</c>, <c>upload</c>, <c>mail</c>).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<IngestResult> IngestAsync(ReadOnlyMemory<byte> raw, string? fileName, string source, CancellationToken cancellationToken = default)
    {
        var file = ReceivedReportReader.Read(raw, _options, cancellationToken);
        return await StoreAsync(file, raw, fileName, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores what <see cref="ReceivedReportReader"/> already read from <paramref name="raw"/>.</summary>
    public async Task<IngestResult> StoreAsync(ReceivedReportFile file, ReadOnlyMemory<byte> raw, string? fileName, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var now = _time.GetUtcNow();
        var rawHash = ReceivedReportStore.Hash(raw.Span);
        var blob = raw.Length <= _options.MaxInputBytes ? await _store.UploadRawAsync(raw, file.Kind, cancellationToken).ConfigureAwait(false) : null;
        if (file.Error is not null)
        {
            await _store.SaveRejectionAsync(rawHash, "file", file.Error, blob, fileName, source, now, cancellationToken).ConfigureAwait(false);
            return new IngestResult(file.Kind, blob, [new IngestItem("file", "rejected", null, null, null, file.Error)]);
        }

        var items = new List<IngestItem>();
        foreach (var item in file.Items)
        {
            if (item.Aggregate is { } aggregate)
            {
                var key = ReceivedReportStore.ReportKey(aggregate);
                if (await _store.IsStoredAsync(key, cancellationToken).ConfigureAwait(false))
                {
                    items.Add(new IngestItem(item.Origin, "duplicate", "aggregate", aggregate.PolicyPublished.Domain, key, null));
                    continue;
                }

                var names = await _enricher.EnrichAsync(aggregate.Records.Select(r => r.Row.SourceIp), cancellationToken).ConfigureAwait(false);
                await _store.SaveAggregateAsync(aggregate, blob ?? string.Empty, item.Origin, names, now, cancellationToken).ConfigureAwait(false);
                items.Add(new IngestItem(item.Origin, "stored", "aggregate", aggregate.PolicyPublished.Domain, key, null));
            }
            else if (item.Failure is { } failure)
            {
                var stored = await _store.SaveFailureAsync(failure, blob ?? string.Empty, item.Origin, rawHash, now, cancellationToken).ConfigureAwait(false);
                items.Add(new IngestItem(item.Origin, stored ? "stored" : "duplicate", "failure", failure.ReportedDomain, null, null));
            }
            else
            {
                await _store.SaveRejectionAsync(rawHash, item.Origin, item.Error!, blob, fileName, source, now, cancellationToken).ConfigureAwait(false);
                items.Add(new IngestItem(item.Origin, "rejected", null, null, null, item.Error));
            }
        }

        return new IngestResult(file.Kind, blob, items);
    }
}
