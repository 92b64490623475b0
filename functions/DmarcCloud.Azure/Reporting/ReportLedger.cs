using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// The table <c>ReportLedger</c>: the watermark of the last UTC day scheduled, one record per scheduled
/// (day, policy domain) job, one record per (Report-ID, destination) delivery, and the pacing slot of each
/// destination domain. It makes every reporting step idempotent: a job is scheduled once, a report is sent once.
/// </summary>
/// <remarks>
/// Keys (PartitionKey / RowKey): <c>watermark</c> / <c>aggregate</c>; <c>job|yyyy-MM-dd</c> / policy domain (State
/// Scheduled → Built; QueuedAt once its message was sent);
/// <c>report|&lt;Report-ID&gt;</c> / destination (URI-escaped); <c>pacing</c> / destination domain.
/// </remarks>
public sealed class ReportLedger
{
    /// <summary>The table name (docs/architecture.md).</summary>
    public const string TableName = ResourceNames.ReportLedgerTable;

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly CreateOnFirstUse _created;

    /// <summary>Creates a ledger over <paramref name="table"/> (table <c>ReportLedger</c>).</summary>
    public ReportLedger(TableClient table, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(time);
        _table = table;
        _time = time;
        _created = new CreateOnFirstUse(() => _table.CreateIfNotExistsAsync(CancellationToken.None));
    }

    /// <summary>Creates the table when it does not exist (every method also does so on first use).</summary>
    public Task CreateIfNotExistsAsync() => _created.EnsureAsync();

    /// <summary>The last UTC day whose jobs were all scheduled, or null before the first run.</summary>
    public async Task<DateOnly?> GetWatermarkAsync(CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var entity = await _table.GetEntityIfExistsAsync<TableEntity>("watermark", "aggregate", cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue && entity.Value!.GetString("Day") is string day
            ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Moves the watermark to <paramref name="day"/> (never backwards).</summary>
    public async Task AdvanceWatermarkAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var current = await GetWatermarkAsync(cancellationToken).ConfigureAwait(false);
        if (current is DateOnly existing && existing >= day)
        {
            return;
        }

        var entity = new TableEntity("watermark", "aggregate")
        {
            ["Day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["UpdatedAt"] = _time.GetUtcNow(),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records that the job (day, domain) was scheduled. False when it already was (nothing is scheduled twice).
    /// The record stays "not queued" until <see cref="MarkJobQueuedAsync"/>: see <see cref="ListUnqueuedJobsAsync"/>.
    /// </summary>
    public async Task<bool> TryRecordJobAsync(DateOnly day, string policyDomain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policyDomain);
        await _created.EnsureAsync().ConfigureAwait(false);
        var entity = new TableEntity(JobPartition(day), Key(policyDomain))
        {
            ["ScheduledAt"] = _time.GetUtcNow(),
            ["State"] = "Scheduled",
            ["PolicyDomain"] = policyDomain,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Records that the job's <c>aggregate-jobs</c> message was sent.</summary>
    public async Task MarkJobQueuedAsync(DateOnly day, string policyDomain, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var entity = new TableEntity(JobPartition(day), Key(policyDomain)) { ["QueuedAt"] = _time.GetUtcNow() };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The jobs of days <paramref name="from"/>..<paramref name="to"/> recorded as scheduled whose message was never
    /// confirmed sent (a run that stopped between <see cref="TryRecordJobAsync"/> and <see cref="MarkJobQueuedAsync"/>)
    /// and that were not built since: they must be sent again.
    /// </summary>
    public async Task<IReadOnlyList<AggregateReportJob>> ListUnqueuedJobsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var jobs = new List<AggregateReportJob>();
        string low = JobPartition(from), high = JobPartition(to);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {low} and PartitionKey le {high}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.GetString("State") == "Scheduled" && !e.ContainsKey("QueuedAt"))
            {
                var day = DateOnly.ParseExact(e.PartitionKey["job|".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                jobs.Add(new AggregateReportJob(day, e.GetString("PolicyDomain") ?? Uri.UnescapeDataString(e.RowKey)));
            }
        }

        return jobs;
    }

    /// <summary>Marks a job built, with the number of report parts and outbound messages.</summary>
    public async Task MarkJobBuiltAsync(DateOnly day, string policyDomain, int files, int outbound, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var entity = new TableEntity(JobPartition(day), Key(policyDomain))
        {
            ["State"] = "Built",
            ["BuiltAt"] = _time.GetUtcNow(),
            ["Files"] = files,
            ["Outbound"] = outbound,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scheduled jobs of <paramref name="day"/> (policy domains).</summary>
    public async Task<IReadOnlyList<string>> ListJobsAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var domains = new List<string>();
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == JobPartition(day), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            domains.Add(Uri.UnescapeDataString(e.RowKey));
        }

        return domains;
    }

    /// <summary>The delivery record of (report, destination), if any.</summary>
    public async Task<ReportDelivery?> GetDeliveryAsync(string reportId, string destination, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var entity = await _table.GetEntityIfExistsAsync<TableEntity>(ReportPartition(reportId), Key(destination), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? ToDelivery(entity.Value!) : null;
    }

    /// <summary>Every delivery record of a report.</summary>
    public async Task<IReadOnlyList<ReportDelivery>> ListDeliveriesAsync(string reportId, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var list = new List<ReportDelivery>();
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == ReportPartition(reportId), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToDelivery(e));
        }

        return list;
    }

    /// <summary>
    /// Claims (report, destination) for sending. True when this caller may send: no record yet, or a
    /// <see cref="ReportDeliveryStatus.Sending"/> claim older than <paramref name="staleAfter"/> (a sender that died).
    /// </summary>
    public async Task<bool> TryClaimAsync(string reportId, string destination, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var entity = NewDelivery(reportId, destination, ReportDeliveryStatus.Sending, null, now);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
        }

        var existing = await _table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var delivery = ToDelivery(existing.Value);
        if (delivery.Status != ReportDeliveryStatus.Sending || now - delivery.UpdatedAt < staleAfter)
        {
            return false;
        }

        try
        {
            await _table.UpdateEntityAsync(entity, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false; // another sender took it over first
        }
    }

    /// <summary>Drops a <see cref="ReportDeliveryStatus.Sending"/> claim after a transient failure, so a redelivery may try again.</summary>
    public async Task ReleaseClaimAsync(string reportId, string destination, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        await _table.DeleteEntityAsync(ReportPartition(reportId), Key(destination), ETag.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the final status of (report, destination).</summary>
    public async Task RecordAsync(string reportId, string destination, ReportDeliveryStatus status, string? detail, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        await _table.UpsertEntityAsync(NewDelivery(reportId, destination, status, detail, _time.GetUtcNow()), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reserves the next send slot for <paramref name="destinationDomain"/>: the later of now and the previous
    /// slot plus <paramref name="interval"/>. Concurrent reservations are serialized with the entity's ETag.
    /// </summary>
    public async Task<DateTimeOffset> ReserveSendSlotAsync(string destinationDomain, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        while (true)
        {
            var now = _time.GetUtcNow();
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>("pacing", Key(destinationDomain), cancellationToken: cancellationToken).ConfigureAwait(false);
            var previous = existing.HasValue ? existing.Value!.GetDateTimeOffset("Slot") : null;
            var slot = previous is DateTimeOffset p && p + interval > now ? p + interval : now;
            var entity = new TableEntity("pacing", Key(destinationDomain)) { ["Slot"] = slot };
            try
            {
                if (existing.HasValue)
                {
                    await _table.UpdateEntityAsync(entity, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return slot;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
            {
                // Someone reserved in between: read again.
            }
        }
    }

    private static TableEntity NewDelivery(string reportId, string destination, ReportDeliveryStatus status, string? detail, DateTimeOffset at) =>
        new(ReportPartition(reportId), Key(destination))
        {
            ["ReportId"] = reportId,
            ["Destination"] = destination,
            ["Status"] = status.ToString(),
            ["Detail"] = detail,
            ["UpdatedAt"] = at,
        };

    private static ReportDelivery ToDelivery(TableEntity e) => new(
        e.GetString("ReportId"),
        e.GetString("Destination"),
        Enum.Parse<ReportDeliveryStatus>(e.GetString("Status")),
        e.GetString("Detail"),
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);

    private static string JobPartition(DateOnly day) => "job|" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string ReportPartition(string reportId) => "report|" + Key(reportId);

    /// <summary>Table keys may not hold / \ # ? or control characters: escape them.</summary>
    private static string Key(string value) => Uri.EscapeDataString(value.ToLowerInvariant());
}
