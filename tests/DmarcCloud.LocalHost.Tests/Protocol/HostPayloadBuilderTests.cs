using System.Text;
using System.Text.Json.Nodes;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalHost.Protocol;

namespace DmarcCloud.LocalHost.Tests.Protocol;

public class HostPayloadBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 4, 5, 123, TimeSpan.Zero);
    private static readonly Guid Rand = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static ReceivedServiceBusMessage Message(string body, Dictionary<string, object?>? properties = null) => new(
        new LocalServiceBusEnvelope
        {
            Body = Encoding.UTF8.GetBytes(body),
            MessageId = "id-1",
            ContentType = "application/json",
            ApplicationProperties = properties ?? [],
        },
        DeliveryCount: 2,
        SequenceNumber: 42,
        EnqueuedTime: new DateTimeOffset(2026, 11, 22, 15, 0, 0, 999, TimeSpan.Zero),
        ExpiresAt: new DateTimeOffset(2026, 12, 6, 15, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(true, "{\"a\":1}", "\"eyJhIjoxfQ==\"")]
    [InlineData(false, "{\"a\":1}", "\"\\\"{\\\\\\\"a\\\\\\\":1}\\\"\"")]
    [InlineData(false, "text", "\"\\\"text\\\"\"")]
    public void Service_bus_data_is_base64_for_binary_and_a_double_encoded_string_otherwise(bool binary, string body, string expectedJson)
    {
        var payload = HostPayloadBuilder.ServiceBus("F", "msg", binary, Message(body), Now, Rand);

        Assert.Equal(expectedJson, payload["Data"]!["msg"]!.ToJsonString(HostPayloadBuilder.WireOptions));
    }

    [Fact]
    public void Service_bus_metadata_has_strings_double_encoded_numbers_as_strings_objects_as_json_and_sys()
    {
        var payload = HostPayloadBuilder.ServiceBus("EvaluateMessage", "message", true, Message("x", new() { ["k"] = "v", ["n"] = 5L }), Now, Rand);

        var expected = """
            {"MessageId":"\"id-1\"","DeliveryCount":"2","SequenceNumber":"42","EnqueuedTimeUtc":"2026-11-22T15:00:00","ExpiresAtUtc":"2026-12-06T15:00:00","ContentType":"\"application/json\"","ApplicationProperties":{"k":"v","n":5},"UserProperties":{"k":"v","n":5},"sys":{"MethodName":"EvaluateMessage","UtcNow":"2026-11-22T15:04:05.123Z","RandGuid":"0f8fad5b-d9cb-469f-a165-70867728950e"}}
            """;
        Assert.Equal(expected, payload["Metadata"]!.ToJsonString(HostPayloadBuilder.WireOptions));
        Assert.Equal(["Data", "Metadata"], payload.Select(p => p.Key));
    }

    [Fact]
    public void No_metadata_key_ends_in_trigger()
    {
        var payloads = new[]
        {
            HostPayloadBuilder.ServiceBus("F", "msg", true, Message("x"), Now, Rand),
            HostPayloadBuilder.Timer("F", "timer", null, false, Now, Rand),
            HostPayloadBuilder.Http("F", "req", new HttpRequestSnapshot { Url = "http://127.0.0.1/api/x", Method = "GET" }, Now, Rand),
        };

        Assert.All(payloads, p => Assert.DoesNotContain(p["Metadata"]!.AsObject(), m => m.Key.EndsWith("trigger", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Timer_data_is_timer_info_with_schedule_status_and_past_due()
    {
        var status = new TimerScheduleStatus(Now.AddDays(-1), Now, Now.AddDays(-1).AddSeconds(1));

        var first = HostPayloadBuilder.Timer("Report", "timer", null, false, Now, Rand);
        var late = HostPayloadBuilder.Timer("Report", "timer", status, true, Now, Rand);

        Assert.Equal("""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""", first["Data"]!["timer"]!.ToJsonString(HostPayloadBuilder.WireOptions));
        Assert.Equal(
            """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-21T15:04:05.123Z","Next":"2026-11-22T15:04:05.123Z","LastUpdated":"2026-11-21T15:04:06.123Z"},"IsPastDue":true}""",
            late["Data"]!["timer"]!.ToJsonString(HostPayloadBuilder.WireOptions));
    }

    [Fact]
    public void Http_data_is_the_request_object_and_a_json_body_arrives_as_json()
    {
        var request = new HttpRequestSnapshot
        {
            Url = "http://127.0.0.1:7071/api/reports/example.com?day=1",
            Method = "POST",
            Query = new Dictionary<string, string> { ["day"] = "1" },
            Headers = new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = ["a", "b"] },
            RouteValues = new Dictionary<string, string> { ["domain"] = "example.com" },
            Body = Encoding.UTF8.GetBytes("{\"x\":true}"),
        };

        var payload = HostPayloadBuilder.Http("Reports", "req", request, Now, Rand);

        Assert.Equal(
            """{"Url":"http://127.0.0.1:7071/api/reports/example.com?day=1","Method":"POST","Query":{"day":"1"},"Headers":{"Accept":["a","b"]},"Params":{"domain":"example.com"},"Identities":[],"Body":{"x":true}}""",
            payload["Data"]!["req"]!.ToJsonString(HostPayloadBuilder.WireOptions));
        Assert.Equal("\"example.com\"", payload["Metadata"]!["domain"]!.GetValue<string>());
    }
}
