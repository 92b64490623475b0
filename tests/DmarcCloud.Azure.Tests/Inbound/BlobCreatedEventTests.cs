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

    public static TheoryData<string, byte[], string> HostileBodies() => new()
    {
        { "empty", [], "the message body is empty" },
        { "invalid UTF-8", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], "the message body is not JSON: it is not valid UTF-8" },
        { "overlong UTF-8", [0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D], "the message body is not JSON: it is not valid UTF-8" },
        { "truncated JSON", "{\"id\":\"1\",\"eventType\":"u8.ToArray(), "the message body is not JSON" },
        { "JSON array of numbers", "[1,2,3]"u8.ToArray(), "the message body is not" },
        { "JSON string", "\"hello\""u8.ToArray(), "the message body is not" },
        { "empty array", "[]"u8.ToArray(), "the message body is not an Event Grid event: it holds no event" },
        { "deep nesting", System.Text.Encoding.ASCII.GetBytes(new string('[', 5000) + new string(']', 5000)), "the message body is not" },
        { "missing required fields", "{\"eventType\":\"Microsoft.Storage.BlobCreated\"}"u8.ToArray(), "the message body is not an Event Grid event" },
        {
            "lone high surrogate in the subject",
            "{\"id\":\"1\",\"subject\":\"/blobServices/default/containers/inbound/blobs/\\ud800.eml\",\"eventType\":\"Microsoft.Storage.BlobCreated\",\"dataVersion\":\"\",\"eventTime\":\"2026-11-22T15:04:05Z\",\"data\":{}}"u8.ToArray(),
            "the message body is not"
        },
        {
            "lone low surrogate in the event type",
            "{\"id\":\"1\",\"subject\":\"/x\",\"eventType\":\"\\udc00\",\"dataVersion\":\"\",\"eventTime\":\"2026-11-22T15:04:05Z\",\"data\":{}}"u8.ToArray(),
            "the message body is not"
        },
        {
            "unparsable event time",
            "{\"id\":\"1\",\"subject\":\"/blobServices/default/containers/inbound/blobs/a.eml\",\"eventType\":\"Microsoft.Storage.BlobCreated\",\"dataVersion\":\"\",\"eventTime\":\"yesterday\",\"data\":{}}"u8.ToArray(),
            "the message body is not"
        },
        { "over the queue message limit", System.Text.Encoding.ASCII.GetBytes("{\"id\":\"" + new string('a', 70 * 1024) + "\"}"), "the message body is not JSON of an event" },
    };

    /// <summary>Hostile queue bodies never throw: each is refused with a reason, to be recorded as malformed (issue 14).</summary>
    [Theory]
    [MemberData(nameof(HostileBodies))]
    public void Hostile_bodies_are_refused_with_a_reason_and_never_throw(string what, byte[] body, string reasonStart)
    {
        var parsed = BlobCreatedEvent.TryParse(body, out var error);

        Assert.True(parsed is null, what);
        Assert.NotNull(error);
        Assert.StartsWith(reasonStart, error, StringComparison.Ordinal);
    }

    private static byte[] Read(string file) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "events", file));
}
