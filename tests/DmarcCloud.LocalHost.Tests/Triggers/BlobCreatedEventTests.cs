using DmarcCloud.LocalHost.Triggers;

namespace DmarcCloud.LocalHost.Tests.Triggers;

public class BlobCreatedEventTests
{
    [Fact]
    public void The_event_has_the_event_grid_schema()
    {
        var id = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var evt = BlobCreatedEvent.Build(
            "devstoreaccount1", "inbound", "2026/11/22/a.eml", new Uri("http://127.0.0.1:10000/devstoreaccount1/inbound/2026/11/22/a.eml"),
            "message/rfc822", 1234, "0x8DD", new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero), id);

        Assert.Equal(["topic", "subject", "eventType", "id", "data", "dataVersion", "metadataVersion", "eventTime"], evt.Select(p => p.Key));
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dmarccloud-local/providers/Microsoft.Storage/storageAccounts/devstoreaccount1", (string?)evt["topic"]);
        Assert.Equal("/blobServices/default/containers/inbound/blobs/2026/11/22/a.eml", (string?)evt["subject"]);
        Assert.Equal("Microsoft.Storage.BlobCreated", (string?)evt["eventType"]);
        Assert.Equal("2026-11-22T15:00:00.0000000Z", (string?)evt["eventTime"]);
        var data = evt["data"]!;
        Assert.Equal(("PutBlob", "message/rfc822", 1234L, "BlockBlob", "http://127.0.0.1:10000/devstoreaccount1/inbound/2026/11/22/a.eml"),
            ((string?)data["api"], (string?)data["contentType"], (long)data["contentLength"]!, (string?)data["blobType"], (string?)data["url"]));
    }

    [Theory]
    [InlineData("a.eml")]
    [InlineData("2026/11/22/a b#?.eml")]
    [InlineData("ü/\\")]
    public void Row_keys_hold_no_forbidden_characters(string blobName) =>
        Assert.DoesNotMatch(@"[/\\#?]", BlobCreatedEventSource.RowKey(blobName));
}
