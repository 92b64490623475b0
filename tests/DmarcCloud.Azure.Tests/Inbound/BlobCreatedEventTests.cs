using DmarcCloud.Azure.Inbound;
using DmarcCloud.Testing;

namespace DmarcCloud.Azure.Tests.Inbound;

public class BlobCreatedEventTests
{
    [Theory]
    [InlineData("eventgrid-blobcreated.json", "inbound", "2026/11/22/msg-0001.eml", "0x8D4BCC2E4835CD0", 5214L)]
    [InlineData("cloudevents-blobcreated.json", "inbound", "msg 0002.eml", "0x8D76C39E4407333", 30699L)]
    [InlineData("azurite-url-only.json", "inbound", "dir/msg-0003.eml", "\"0x1D\"", 812L)]
    public void A_BlobCreated_event_names_its_blob(string file, string container, string name, string etag, long length)
    {
        var parsed = BlobCreatedEvent.TryParse(Read(file), out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(container, parsed.Container);
        Assert.Equal(name, parsed.BlobName);
        Assert.Equal(etag, parsed.ETag);
        Assert.Equal(length, parsed.ContentLength);
    }

    [Theory]
    [InlineData("blobdeleted.json", "unexpected event type 'Microsoft.Storage.BlobDeleted'")]
    [InlineData("two-events.json", "expected one event, found an array of 2")]
    [InlineData("no-blob.json", "the event names no blob")]
    [InlineData("not-json.txt", "the message body is not JSON")]
    public void Anything_else_is_refused_with_a_reason(string file, string reasonStart)
    {
        var parsed = BlobCreatedEvent.TryParse(Read(file), out var error);

        Assert.Null(parsed);
        Assert.StartsWith(reasonStart, error, StringComparison.Ordinal);
    }

    private static byte[] Read(string file) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "events", file));
}
