using System.Text;
using System.Text.Json;
using DmarcCloud.Functions.Invocation;

namespace DmarcCloud.Functions.Tests.Invocation;

public class InvocationRequestTests
{
    [Theory]
    [InlineData("servicebus-blobcreated.json", "5e1f0c2b9d7a4a0f8f3e6c1d2b4a6f80", 1L)]
    [InlineData("servicebus-blobcreated-redelivered.json", "5e1f0c2b9d7a4a0f8f3e6c1d2b4a6f80", 2L)]
    [InlineData("servicebus-string-body.json", "5e1f0c2b9d7a4a0f8f3e6c1d2b4a6f80", 1L)]
    public void A_service_bus_payload_decodes_to_the_event_and_its_delivery(string file, string messageId, long deliveryCount)
    {
        var request = InvocationRequest.Parse(Payloads.Read(file));

        var body = request.GetDataBytes("message");
        Assert.NotNull(body);
        using var eventJson = JsonDocument.Parse(body);
        Assert.Equal("Microsoft.Storage.BlobCreated", eventJson.RootElement.GetProperty("eventType").GetString());
        Assert.Equal(messageId, request.GetMetadataString("MessageId"));
        Assert.Equal(deliveryCount, request.GetMetadataInt64("deliverycount"));
        Assert.Equal(42L, request.GetMetadataInt64("SequenceNumber"));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 15, 4, 5, 900, TimeSpan.Zero), request.GetMetadataDateTime("EnqueuedTimeUtc"));
        Assert.Equal("application/json", request.GetMetadataString("ContentType"));
        Assert.Null(request.GetMetadataString("CorrelationId"));
        Assert.Equal("Notification", InvocationRequest.AsString(request.GetMetadata("ApplicationProperties")!.Value.GetProperty("aeg-event-type")));
        Assert.Equal("EvaluateMessage", request.GetMetadata("sys")!.Value.GetProperty("MethodName").GetString());
    }

    [Fact]
    public void An_http_payload_exposes_the_request_object()
    {
        var request = InvocationRequest.Parse(Payloads.Read("http-health.json"));

        var req = request.GetData("req");
        Assert.NotNull(req);
        Assert.Equal("GET", req.Value.GetProperty("Method").GetString());
        Assert.Equal("*/*", InvocationRequest.AsString(request.GetMetadata("Headers")!.Value.GetProperty("Accept")));
    }

    [Fact]
    public void A_timer_payload_exposes_its_schedule_status()
    {
        var request = InvocationRequest.Parse(Payloads.Read("timer.json"));

        var timer = request.GetData("timer")!.Value;
        Assert.False(timer.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal("2026-11-22T00:00:00+00:00", timer.GetProperty("ScheduleStatus").GetProperty("Next").GetString());
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"\\\"double\\\"\"", "double")]
    [InlineData("\"\\\"\\\\\\\"triple\\\\\\\"\\\"\"", "triple")]
    [InlineData("\"\\\"\\\"\"", "")]
    [InlineData("\"\\\"not closed\"", "\"not closed")]
    [InlineData("17", "17")]
    [InlineData("true", "true")]
    [InlineData("null", null)]
    public void Strings_are_decoded_as_often_as_they_were_encoded(string json, string? expected)
    {
        var request = InvocationRequest.Parse($"{{\"Metadata\":{{\"v\":{json}}}}}");
        Assert.Equal(expected, request.GetMetadataString("v"));
    }

    [Theory]
    [InlineData("\"3\"", 3L)]
    [InlineData("\"\\\"3\\\"\"", 3L)]
    [InlineData("3", 3L)]
    [InlineData("\"three\"", null)]
    [InlineData("3.5", null)]
    public void Numbers_are_read_from_numbers_and_numeric_strings(string json, long? expected)
    {
        var request = InvocationRequest.Parse($"{{\"Metadata\":{{\"n\":{json}}}}}");
        Assert.Equal(expected, request.GetMetadataInt64("n"));
    }

    [Theory]
    [InlineData("\"aGVsbG8=\"", "hello")]
    [InlineData("\"\\\"aGVsbG8=\\\"\"", "hello")]
    [InlineData("\"not base64!\"", "not base64!")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("\"\"", "")]
    public void Data_bytes_are_base64_when_they_can_be(string json, string expected)
    {
        var request = InvocationRequest.Parse($"{{\"Data\":{{\"b\":{json}}}}}");
        Assert.Equal(expected, Encoding.UTF8.GetString(request.GetDataBytes("b")!));
    }

    [Fact]
    public void Absent_sections_and_items_read_as_null()
    {
        var request = InvocationRequest.Parse("{}");
        Assert.Null(request.GetDataBytes("message"));
        Assert.Null(request.GetMetadataString("MessageId"));
        Assert.Throws<JsonException>(() => InvocationRequest.Parse("[1]"));
    }
}
