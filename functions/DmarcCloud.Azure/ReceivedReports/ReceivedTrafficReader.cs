using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>
/// Adapts the received-report store to the rollout simulator: the aggregate reports stored about a domain over a
/// window become <see cref="TrafficRow"/>s, each named with the reverse-DNS name and sending service the ingest
/// stored for its source (the sending-services map, <see cref="SendingServiceCatalog"/>, fills in a service the
/// ingest could not name).
/// </summary>
/// <remarks>
/// The records are read again from each report's kept raw file, because the simulator needs what the per-source
/// roll-ups do not keep: the raw (unaligned) DKIM and SPF results and each record's <c>header_from</c> (for
/// <c>sp</c>). A report whose raw file is gone is taken from its per-source rows instead (aligned results only, the
/// policy domain as author), and says so in <see cref="ReceivedTraffic.Warnings"/>.
/// </remarks>
public sealed class ReceivedTrafficReader
{
    private readonly ReceivedReportStore _store;
    private readonly SendingServiceCatalog _services;

    /// <summary>Creates the reader.</summary>
    public ReceivedTrafficReader(ReceivedReportStore store, SendingServiceCatalog? services = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _services = services ?? SendingServiceCatalog.Embedded;
    }

    /// <summary>The traffic of <paramref name="domain"/> in the reports filed under the days <paramref name="from"/>–<paramref name="to"/>.</summary>
    public async Task<ReceivedTraffic> ReadAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        await _store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var safe = ReceivedReportStore.KeySafe(domain.Trim().TrimEnd('.').ToLowerInvariant());
        var names = await SourceNamesAsync(safe, from, to, cancellationToken).ConfigureAwait(false);

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {safe} and Day ge {ReceivedReportStore.DayKey(from)} and Day le {ReceivedReportStore.DayKey(to)}");
        // Rows that differ only in count are merged as they are read (the simulator only sums counts), so memory grows
        // with the distinct (day, source, author, results, reporter) combinations, not with the reports' record count.
        var rows = new Dictionary<TrafficRow, long>();
        var warnings = new List<string>();
        var files = new Dictionary<string, ReceivedReportFile?>(StringComparer.Ordinal);
        var reports = 0;
        await foreach (var entity in _store.QueryAsync(_store.Reports, filter, cancellationToken).ConfigureAwait(false))
        {
            reports++;
            var key = entity.RowKey;
            var blob = entity.GetString("Blob") ?? string.Empty;
            if (blob.Length > 0 && !files.ContainsKey(blob))
            {
                var raw = await _store.DownloadRawAsync(blob, cancellationToken).ConfigureAwait(false);
                files[blob] = raw is null ? null : ReceivedReportReader.Read(raw, null, cancellationToken);
            }

            var file = blob.Length > 0 ? files[blob] : null;
            var origin = entity.GetString("Origin");
            var report = file?.Reports.FirstOrDefault(r => r.Origin == origin && r.Aggregate is not null && ReceivedReportStore.ReportKey(r.Aggregate) == key)?.Aggregate
                ?? file?.Reports.Select(r => r.Aggregate).FirstOrDefault(a => a is not null && ReceivedReportStore.ReportKey(a) == key);
            if (report is not null)
            {
                Merge(rows, TrafficRows.FromReceived(report));
            }
            else
            {
                var (fallback, messages) = await FromSourceRowsAsync(entity, safe, key, cancellationToken).ConfigureAwait(false);
                Merge(rows, fallback);
                warnings.Add($"report {entity.GetString("ReportId")} from {entity.GetString("OrgName")}: raw file not readable; its {messages} message(s) are taken from the stored per-source figures (unaligned DKIM/SPF passes unknown)");
            }
        }

        var named = rows.Select(pair => Name(pair.Key with { Count = pair.Value }, names)).ToList();
        return new ReceivedTraffic(named, reports, warnings);
    }

    private static void Merge(Dictionary<TrafficRow, long> rows, IEnumerable<TrafficRow> more)
    {
        foreach (var row in more)
        {
            var key = row with { Count = 0 };
            rows[key] = rows.GetValueOrDefault(key) + row.Count;
        }
    }

    private TrafficRow Name(TrafficRow row, Dictionary<string, (string? Ptr, string? Service)> names)
    {
        var (ptr, service) = names.TryGetValue(row.SourceIp, out var known) ? known : (null, null);
        service ??= IPAddress.TryParse(row.SourceIp, out var ip) ? _services.Match(ip, ptr)?.Name : null;
        return row with { ReverseName = ptr ?? row.ReverseName, Service = service ?? row.Service };
    }

    /// <summary>PTR name and service per source address, as the ingest stored them for the window's days.</summary>
    private async Task<Dictionary<string, (string? Ptr, string? Service)>> SourceNamesAsync(string safeDomain, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, (string? Ptr, string? Service)>(StringComparer.Ordinal);
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var partition = ReceivedReportStore.SourcePartitionFilter(safeDomain, day);
            await foreach (var row in _store.QueryAsync(_store.Sources, partition, cancellationToken).ConfigureAwait(false))
            foreach (var entity in ReceivedReportStore.ExpandSourceRows(row))
            {
                var ip = entity.GetString("Ip") ?? string.Empty;
                var ptr = entity.GetString("Ptr");
                var service = entity.GetString("Service");
                names.TryGetValue(ip, out var current);
                names[ip] = (ptr ?? current.Ptr, service ?? current.Service);
            }
        }

        return names;
    }

    /// <summary>Rows rebuilt from a report's per-source roll-ups: its DMARC-passing and failing messages per source.</summary>
    private async Task<(List<TrafficRow> Rows, long Messages)> FromSourceRowsAsync(TableEntity report, string safeDomain, string key, CancellationToken cancellationToken)
    {
        var dayKey = report.GetString("Day") ?? string.Empty;
        var day = DateOnly.ParseExact(dayKey, "yyyyMMdd", CultureInfo.InvariantCulture);
        var author = (report.GetString("Domain") ?? safeDomain).Trim().TrimEnd('.').ToLowerInvariant();
        var org = report.GetString("OrgName");
        var rows = new List<TrafficRow>();
        long messages = 0;
        var filter = ReceivedReportStore.SourcePartitionFilter(safeDomain, day) + TableClient.CreateQueryFilter($" and ReportKey eq {key}");
        await foreach (var row in _store.QueryAsync(_store.Sources, filter, cancellationToken).ConfigureAwait(false))
        foreach (var entity in ReceivedReportStore.ExpandSourceRows(row))
        {
            var figures = ReportFigures.ReadFrom(entity);
            var ip = entity.GetString("Ip") ?? string.Empty;
            messages += figures.Messages;
            var passing = figures.DmarcPass;
            var failing = figures.Messages - figures.DmarcPass;
            if (passing > 0)
            {
                // Which aligned mechanism passed is kept per source, not per message: DKIM when any passed, else SPF.
                var dkim = figures.DkimPass > 0;
                rows.Add(new TrafficRow(day, ip, author, passing, DkimPass: dkim, DkimAligned: dkim, SpfPass: !dkim, SpfAligned: !dkim, Reporter: org));
            }

            if (failing > 0)
            {
                rows.Add(new TrafficRow(day, ip, author, failing, DkimPass: false, DkimAligned: false, SpfPass: false, SpfAligned: false, Reporter: org));
            }
        }

        return (rows, messages);
    }
}
