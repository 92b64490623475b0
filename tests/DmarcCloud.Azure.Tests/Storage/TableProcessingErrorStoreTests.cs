using Azure.Data.Tables;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Testing;

namespace DmarcCloud.Azure.Tests.Storage;

public class TableProcessingErrorStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_same_error_recorded_twice_is_one_row_listed_by_day()
    {
        var store = new TableProcessingErrorStore(new TableServiceClient(azurite.ConnectionString), "Errors" + Guid.NewGuid().ToString("N")[..8]);
        var at = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var error = new ProcessingError("msg-1", ProcessingErrorKind.BlobNotFound, "the blob does not exist", at, "inbound/a.eml", "sb-1", 1);

        await store.RecordAsync(error);
        await store.RecordAsync(error with { DeliveryCount = 2 });
        await store.RecordAsync(error with { Kind = ProcessingErrorKind.TooLarge, Reason = "too large" });

        var listed = await store.ListAsync(new DateOnly(2026, 11, 22)).ToListAsync();
        Assert.Equal(2, listed.Count);
        Assert.Equal(2, listed.Single(e => e.Kind == ProcessingErrorKind.BlobNotFound).DeliveryCount);
        Assert.Empty(await store.ListAsync(new DateOnly(2026, 11, 23)).ToListAsync());
    }
}
