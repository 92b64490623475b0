using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Azurite;

public class AzuriteProcessTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Blob_queue_and_table_services_answer()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "smoke");
        await container.CreateIfNotExistsAsync();
        await container.UploadBlobAsync("a.txt", BinaryData.FromString("hello"));
        Assert.Equal("hello", (await container.GetBlobClient("a.txt").DownloadContentAsync()).Value.Content.ToString());

        var queue = new QueueClient(azurite.ConnectionString, "smoke");
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("m1");
        Assert.Equal("m1", (await queue.ReceiveMessageAsync()).Value.Body.ToString());

        var table = new TableClient(azurite.ConnectionString, "Smoke");
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        Assert.Equal(1, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("V"));
    }
}
