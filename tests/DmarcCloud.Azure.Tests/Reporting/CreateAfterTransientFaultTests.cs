using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Testing;

namespace DmarcCloud.Azure.Tests.Reporting;

/// <summary>
/// A transient error while creating the ledger table or the reports container at first use is retried on the
/// next call (issue 14: a cached faulted <c>Lazy&lt;Task&gt;</c> kept failing until restart). Real Azurite; the
/// first request of each client fails as a 503 would.
/// </summary>
public sealed class CreateAfterTransientFaultTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_ledger_creates_its_table_on_the_call_after_a_failed_first_attempt()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(new FailFirstRequest(), HttpPipelinePosition.PerCall);
        var ledger = new ReportLedger(new TableClient(azurite.ConnectionString, "Ledger" + Guid.NewGuid().ToString("N")[..10], options), TimeProvider.System);

        await Assert.ThrowsAsync<RequestFailedException>(() => ledger.GetWatermarkAsync());
        Assert.Null(await ledger.GetWatermarkAsync());
        await ledger.AdvanceWatermarkAsync(new DateOnly(2026, 11, 30));
        Assert.Equal(new DateOnly(2026, 11, 30), await ledger.GetWatermarkAsync());
    }

    [Fact]
    public async Task The_blob_store_creates_its_container_on_the_call_after_a_failed_first_attempt()
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(new FailFirstRequest(), HttpPipelinePosition.PerCall);
        var store = new ReportBlobStore(new BlobContainerClient(azurite.ConnectionString, "reports-" + Guid.NewGuid().ToString("N")[..10], options));

        await Assert.ThrowsAsync<RequestFailedException>(() => store.UploadAsync("2026-11-30/a.xml.gz", new byte[] { 1, 2, 3 }));
        await store.UploadAsync("2026-11-30/a.xml.gz", new byte[] { 1, 2, 3 });
    }

    /// <summary>Fails the first request with a 503-like error, then lets every request through.</summary>
    private sealed class FailFirstRequest : HttpPipelinePolicy
    {
        private int _calls;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ThrowFirst();
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ThrowFirst();
            return ProcessNextAsync(message, pipeline);
        }

        private void ThrowFirst()
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new RequestFailedException(503, "transient fault injected by the test");
            }
        }
    }
}
