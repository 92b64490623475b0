using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>
/// The read side of received reports, shaped for the API and the dashboard: every answer comes from single-partition
/// queries (a domain's daily rows; one (domain, day) partition of sources per day of the window).
/// </summary>
public sealed class ReceivedReportQueryService
{
    /// <summary>The default window: 15 days, as Xeams shows.</summary>
    public const int DefaultDays = 15;

    private readonly ReceivedReportStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public ReceivedReportQueryService(ReceivedReportStore store, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The window of <paramref name="days"/> whole UTC days ending today (or <paramref name="to"/>).</summary>
    public (DateOnly From, DateOnly To) Window(int days = DefaultDays, DateOnly? to = null)
    {
        days = Math.Clamp(days, 1, 366);
        var last = to ?? DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        return (last.AddDays(1 - days), last);
    }

    /// <summary>Domains with received reports.</summary>
    public async Task<IReadOnlyList<DomainListItem>> ListDomainsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<DomainListItem>();
        await foreach (var entity in _store.QueryAsync(_store.Domains, "PartitionKey eq 'domain'", cancellationToken).ConfigureAwait(false))
        {
            result.Add(new DomainListItem(entity.GetString("Domain") ?? entity.RowKey));
        }

        return result.OrderBy(d => d.Domain, StringComparer.Ordinal).ToList();
    }

    /// <summary>A domain's summary figures and daily series over the window.</summary>
    public async Task<DomainSummary> GetSummaryAsync(string domain, int days = DefaultDays, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        var (from, last) = Window(days, to);
        var rows = await DailyRowsAsync(domain, from, last, cancellationToken).ConfigureAwait(false);
        var total = new ReportFigures();
        var byDay = new Dictionary<string, (ReportFigures Figures, int Reports)>(StringComparer.Ordinal);
        foreach (var (dayKey, _, figures) in rows)
        {
            total.Add(figures);
            var current = byDay.TryGetValue(dayKey, out var c) ? c : (new ReportFigures(), 0);
            current.Item1.Add(figures);
            byDay[dayKey] = (current.Item1, current.Item2 + 1);
        }

        var daily = new List<DailyFigures>();
        for (var day = from; day <= last; day = day.AddDays(1))
        {
            var key = ReceivedReportStore.DayKey(day);
            var (figures, reports) = byDay.TryGetValue(key, out var d) ? d : (new ReportFigures(), 0);
            daily.Add(new DailyFigures(Iso(day), figures.Messages, figures.DmarcPass, figures.Quarantined, figures.Rejected, reports));
        }

        var failures = await ListFailuresAsync(domain, days, to, cancellationToken).ConfigureAwait(false);
        return new DomainSummary
        {
            Domain = domain,
            From = Iso(from),
            To = Iso(last),
            Messages = total.Messages,
            Compliant = total.DmarcPass,
            NotCompliant = total.Messages - total.DmarcPass,
            Quarantined = total.Quarantined,
            Rejected = total.Rejected,
            SpfPass = total.SpfPass,
            SpfFail = total.SpfFail,
            DkimPass = total.DkimPass,
            DkimFail = total.DkimFail,
            TotalReporters = rows.Select(r => r.Org).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            TotalReports = rows.Count,
            FailureReports = failures.Count,
            Daily = daily,
        };
    }

    /// <summary>The sources sending as the domain over the window, most messages first.</summary>
    public async Task<IReadOnlyList<SourceSummary>> GetSourcesAsync(string domain, int days = DefaultDays, DateOnly? to = null, int top = 100, CancellationToken cancellationToken = default)
    {
        var (from, last) = Window(days, to);
        var bySource = new Dictionary<string, (ReportFigures Figures, TableEntity Latest, HashSet<string> Reporters)>(StringComparer.Ordinal);
        var safe = ReceivedReportStore.KeySafe(domain.ToLowerInvariant());
        for (var day = from; day <= last; day = day.AddDays(1))
        {
            var filter = ReceivedReportStore.SourcePartitionFilter(safe, day);
            await foreach (var row in _store.QueryAsync(_store.Sources, filter, cancellationToken).ConfigureAwait(false))
            foreach (var entity in ReceivedReportStore.ExpandSourceRows(row))
            {
                var ip = entity.GetString("Ip") ?? entity.RowKey;
                if (!bySource.TryGetValue(ip, out var current))
                {
                    bySource[ip] = current = (new ReportFigures(), entity, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                }

                current.Figures.Add(ReportFigures.ReadFrom(entity));
                current.Reporters.Add(entity.GetString("OrgName") ?? "?");
                if (entity.GetString("Ptr") is not null)
                {
                    bySource[ip] = (current.Figures, entity, current.Reporters);
                }
            }
        }

        static double Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
        return bySource
            .Select(pair => new SourceSummary
            {
                Ip = pair.Key,
                Ptr = pair.Value.Latest.GetString("Ptr"),
                BaseDomain = pair.Value.Latest.GetString("BaseDomain"),
                Service = pair.Value.Latest.GetString("Service"),
                Messages = pair.Value.Figures.Messages,
                Compliant = pair.Value.Figures.DmarcPass,
                SpfAlignedPassRate = Rate(pair.Value.Figures.SpfPass, pair.Value.Figures.Messages),
                DkimAlignedPassRate = Rate(pair.Value.Figures.DkimPass, pair.Value.Figures.Messages),
                Quarantined = pair.Value.Figures.Quarantined,
                Rejected = pair.Value.Figures.Rejected,
                Reporters = pair.Value.Reporters.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            })
            .OrderByDescending(s => s.Messages)
            .ThenBy(s => s.Ip, StringComparer.Ordinal)
            .Take(Math.Clamp(top, 1, 10_000))
            .ToList();
    }

    /// <summary>The reporting organisations over the window, most messages first.</summary>
    public async Task<IReadOnlyList<ReporterSummary>> GetReportersAsync(string domain, int days = DefaultDays, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        var (from, last) = Window(days, to);
        var rows = await DailyRowsAsync(domain, from, last, cancellationToken).ConfigureAwait(false);
        return rows
            .GroupBy(r => r.Org, StringComparer.OrdinalIgnoreCase)
            .Select(g => new ReporterSummary(
                g.First().Org,
                g.Count(),
                g.Sum(r => r.Figures.Messages),
                g.Sum(r => r.Figures.DmarcPass),
                Iso(DateOnly.ParseExact(g.Max(r => r.DayKey)!, "yyyyMMdd", CultureInfo.InvariantCulture))))
            .OrderByDescending(r => r.Messages)
            .ThenBy(r => r.OrgName, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The aggregate reports filed under the window's days, newest first.</summary>
    public async Task<IReadOnlyList<ReportListItem>> ListReportsAsync(string domain, int days = DefaultDays, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        var (from, last) = Window(days, to);
        var safe = ReceivedReportStore.KeySafe(domain.ToLowerInvariant());
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {safe} and Day ge {ReceivedReportStore.DayKey(from)} and Day le {ReceivedReportStore.DayKey(last)}");
        var result = new List<ReportListItem>();
        await foreach (var entity in _store.QueryAsync(_store.Reports, filter, cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToListItem(entity));
        }

        return result.OrderByDescending(r => r.Begin).ThenBy(r => r.OrgName, StringComparer.Ordinal).ToList();
    }

    /// <summary>One report: its listing and the parsed report read again from the kept raw file; null when unknown.</summary>
    public async Task<StoredReport?> GetReportAsync(string domain, string key, CancellationToken cancellationToken = default)
    {
        var entity = await ReportEntityAsync(domain, key, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var blob = entity.GetString("Blob") ?? string.Empty;
        var raw = blob.Length == 0 ? null : await _store.DownloadRawAsync(blob, cancellationToken).ConfigureAwait(false);
        AggregateReport? report = null;
        if (raw is not null)
        {
            var origin = entity.GetString("Origin");
            var file = ReceivedReportReader.Read(raw, null, cancellationToken);
            report = file.Reports.FirstOrDefault(r => r.Origin == origin && r.Aggregate is not null && ReceivedReportStore.ReportKey(r.Aggregate) == key)?.Aggregate
                ?? file.Reports.Select(r => r.Aggregate).FirstOrDefault(a => a is not null && ReceivedReportStore.ReportKey(a) == key);
        }

        return new StoredReport(ToListItem(entity), report, blob);
    }

    /// <summary>The raw file a report came in: bytes, content type and a download name; null when unknown.</summary>
    public async Task<(byte[] Content, string ContentType, string FileName)?> DownloadReportAsync(string domain, string key, CancellationToken cancellationToken = default)
    {
        var entity = await ReportEntityAsync(domain, key, cancellationToken).ConfigureAwait(false);
        var blob = entity?.GetString("Blob");
        if (string.IsNullOrEmpty(blob))
        {
            return null;
        }

        var raw = await _store.DownloadRawAsync(blob, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return null;
        }

        var extension = blob[(blob.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? dot : blob.Length)..];
        var contentType = extension switch
        {
            ".xml.gz" => "application/gzip",
            ".zip" => "application/zip",
            ".eml" => "message/rfc822",
            ".xml" => "application/xml",
            _ => "application/octet-stream",
        };
        return (raw, contentType, key + extension);
    }

    /// <summary>Failure reports about the domain over the window, newest first.</summary>
    public async Task<IReadOnlyList<FailureReportItem>> ListFailuresAsync(string domain, int days = DefaultDays, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        var (from, last) = Window(days, to);
        var begin = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var end = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var safe = ReceivedReportStore.KeySafe(domain.ToLowerInvariant());
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {safe} and RowKey ge {begin.ToString("D12", CultureInfo.InvariantCulture)} and RowKey lt {end.ToString("D12", CultureInfo.InvariantCulture)}");
        var result = new List<FailureReportItem>();
        await foreach (var entity in _store.QueryAsync(_store.Failures, filter, cancellationToken).ConfigureAwait(false))
        {
            FailureReport? report = null;
            if (entity.GetString("Json") is { } json)
            {
                try
                {
                    report = JsonSerializer.Deserialize(json, ReportJsonContext.Default.FailureReport);
                }
                catch (JsonException)
                {
                    // A truncated row: listed without its details.
                }
            }

            result.Add(new FailureReportItem(entity.RowKey, entity.GetInt64("ArrivalDate") ?? 0, entity.GetString("SourceIp"), entity.GetString("AuthFailure"), report));
        }

        return result.OrderByDescending(f => f.ArrivalDate).ToList();
    }

    private async Task<TableEntity?> ReportEntityAsync(string domain, string key, CancellationToken cancellationToken)
    {
        await _store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var safe = ReceivedReportStore.KeySafe(domain.ToLowerInvariant());
        if (ReceivedReportStore.KeySafe(key) != key)
        {
            return null;
        }

        var response = await _store.Reports.GetEntityIfExistsAsync<TableEntity>(safe, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private async Task<List<(string DayKey, string Org, ReportFigures Figures)>> DailyRowsAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var safe = ReceivedReportStore.KeySafe(domain.ToLowerInvariant());
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {safe} and RowKey ge {ReceivedReportStore.DayKey(from)} and RowKey lt {ReceivedReportStore.DayKey(to.AddDays(1))}");
        var rows = new List<(string, string, ReportFigures)>();
        await foreach (var entity in _store.QueryAsync(_store.Daily, filter, cancellationToken).ConfigureAwait(false))
        {
            rows.Add((entity.GetString("Day") ?? entity.RowKey[..8], entity.GetString("OrgName") ?? "?", ReportFigures.ReadFrom(entity)));
        }

        return rows;
    }

    private static ReportListItem ToListItem(TableEntity entity)
    {
        var figures = ReportFigures.ReadFrom(entity);
        var day = entity.GetString("Day") ?? "19700101";
        return new ReportListItem
        {
            Key = entity.RowKey,
            OrgName = entity.GetString("OrgName") ?? string.Empty,
            ReportId = entity.GetString("ReportId") ?? string.Empty,
            Day = Iso(DateOnly.ParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture)),
            Begin = entity.GetInt64("Begin") ?? 0,
            End = entity.GetInt64("End") ?? 0,
            Records = figures.Records,
            Messages = figures.Messages,
            Compliant = figures.DmarcPass,
            Format = entity.GetString("Format"),
        };
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
