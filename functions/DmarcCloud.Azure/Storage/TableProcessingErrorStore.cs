using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace DmarcCloud.Azure.Storage;

/// <summary>
/// Keeps inbound messages that could not be evaluated in table <c>ProcessingErrors</c>: partition = UTC day
/// of the error (<c>yyyyMMdd</c>), row = the input's key and the kind of error, so recording the same problem
/// again (a redelivery) overwrites one row.
/// </summary>
public sealed class TableProcessingErrorStore
{
    /// <summary>The default table name (docs/architecture.md).</summary>
    public const string DefaultTableName = ResourceNames.ProcessingErrorsTable;

    private readonly TableClient _table;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _created;

    /// <summary>Creates the store over table <paramref name="tableName"/>.</summary>
    public TableProcessingErrorStore(TableServiceClient tables, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.GetTableClient(tableName);
    }

    /// <summary>Records (or overwrites) one error.</summary>
    public async Task RecordAsync(ProcessingError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(
            VerdictEntityMapper.DayKey(DateOnly.FromDateTime(error.OccurredAt.UtcDateTime)),
            TableVerdictStore.RowKey($"{error.Key}.{error.Kind}"))
        {
            ["Key"] = error.Key,
            ["Kind"] = error.Kind.ToString(),
            ["Reason"] = error.Reason.Length <= VerdictEntityMapper.MaxTextColumnChars ? error.Reason : error.Reason[..VerdictEntityMapper.MaxTextColumnChars],
            ["OccurredAt"] = error.OccurredAt.ToUniversalTime(),
            ["Blob"] = error.Blob,
            ["MessageId"] = error.MessageId,
            ["DeliveryCount"] = error.DeliveryCount,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The errors recorded on one UTC day.</summary>
    public async IAsyncEnumerable<ProcessingError> ListAsync(DateOnly day, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VerdictEntityMapper.DayKey(day)}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return new ProcessingError(
                entity.GetString("Key"),
                Enum.Parse<ProcessingErrorKind>(entity.GetString("Kind")),
                entity.GetString("Reason"),
                entity.GetDateTimeOffset("OccurredAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
                entity.GetString("Blob"),
                entity.GetString("MessageId"),
                entity.GetInt64("DeliveryCount"));
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
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
                await TableVerdictStore.CreateIfMissingAsync(_table, cancellationToken).ConfigureAwait(false);
                _created = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }
}
