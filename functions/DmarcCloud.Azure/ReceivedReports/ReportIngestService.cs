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

    /// <summary>The limits every input is read under.</summary>
    public ReportIngestOptions Options => _options;

    /// <summary>Per-report accumulators to hand to <see cref="ReceivedReportReader"/> as its record sinks (bounded as <see cref="Options"/> says).</summary>
    public ReportAccumulators NewAccumulators() => new(_options.MaxSourcesPerReport);

    /// <summary>Reads and stores the reports in <paramref name="raw"/>; records stream into per-source figures, never kept.</summary>
    /// <param name="raw">The input bytes (XML, gzip, zip, mail or mbox).</param>
    /// <param name="fileName">The name it arrived under (informative only; never used as a path).</param>
    /// <param name="source">Which door it came through (<c>cli</c>, <c>upload</c>, <c>mail</c>).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<IngestResult> IngestAsync(ReadOnlyMemory<byte> raw, string? fileName, string source, CancellationToken cancellationToken = default)
    {
        var accumulators = NewAccumulators();
        var file = ReceivedReportReader.Read(raw, _options, accumulators.For, cancellationToken);
        return await StoreAsync(file, raw, fileName, source, accumulators, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and stores the reports a parsed mail carries (<paramref name="raw"/> is the mail as received).</summary>
    public async Task<IngestResult> IngestMessageAsync(MimeKit.MimeMessage message, ReadOnlyMemory<byte> raw, string? fileName, string source, CancellationToken cancellationToken = default)
    {
        var accumulators = NewAccumulators();
        var file = ReceivedReportReader.ReadMessage(message, _options, accumulators.For, cancellationToken);
        return await StoreAsync(file, raw, fileName, source, accumulators, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores what <see cref="ReceivedReportReader"/> already read from <paramref name="raw"/> (records kept in the reports).</summary>
    public Task<IngestResult> StoreAsync(ReceivedReportFile file, ReadOnlyMemory<byte> raw, string? fileName, string source, CancellationToken cancellationToken = default) =>
        StoreAsync(file, raw, fileName, source, null, cancellationToken);

    /// <summary>
    /// Stores what <see cref="ReceivedReportReader"/> already read from <paramref name="raw"/>: an aggregate report's
    /// figures come from its accumulator in <paramref name="accumulators"/> (the reader's record sinks), else from its
    /// kept records.
    /// </summary>
    public async Task<IngestResult> StoreAsync(
        ReceivedReportFile file, ReadOnlyMemory<byte> raw, string? fileName, string source, ReportAccumulators? accumulators, CancellationToken cancellationToken = default)
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

                var figures = accumulators?.Of(item.Origin) ?? ReportAccumulator.Of(aggregate, _options.MaxSourcesPerReport);
                using (var budget = _enricher.StartBudget(cancellationToken))
                {
                    // Sources are named batch by batch as their rows are written, all within one lookup budget: a slow
                    // or failing DNS delays ingest by at most the budget, never more.
                    var token = budget.Token;
                    await _store.SaveAggregateAsync(aggregate, figures, blob ?? string.Empty, item.Origin,
                        (addresses, ct) => _enricher.EnrichAsync(addresses, token, ct), now, cancellationToken).ConfigureAwait(false);
                }

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
