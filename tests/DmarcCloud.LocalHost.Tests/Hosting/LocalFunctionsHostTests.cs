using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.LocalHost.Triggers;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>The runner against a real handler process (this assembly's TestHandler) and a real Azurite.</summary>
public class LocalFunctionsHostTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_service_bus_message_reaches_the_handler_in_the_host_shape_and_its_outputs_are_written()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite);
        var sent = new LocalServiceBusEnvelope
        {
            Body = Encoding.UTF8.GetBytes("hello"),
            MessageId = "m-1",
            ContentType = "text/plain",
            Subject = "greeting",
            ApplicationProperties = new Dictionary<string, object?> { ["tenant"] = "t1", ["n"] = 7L },
        };

        await runner.SendAsync(runner.EchoQueue, sent);
        var outputs = await runner.WaitForMessagesAsync(runner.EchoQueue + "-out", 2);

        // One Service Bus message per array element.
        Assert.Equal("hello!", outputs[0].BodyText);
        var request = JsonNode.Parse(outputs[1].BodyText)!;
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("hello")), request["Data"]!["msg"]!.GetValue<string>());
        var metadata = request["Metadata"]!;
        Assert.Equal("\"m-1\"", metadata["MessageId"]!.GetValue<string>());
        Assert.Equal("1", metadata["DeliveryCount"]!.GetValue<string>());
        Assert.Equal("\"text/plain\"", metadata["ContentType"]!.GetValue<string>());
        Assert.Equal("\"greeting\"", metadata["Subject"]!.GetValue<string>());
        Assert.Equal("t1", metadata["ApplicationProperties"]!["tenant"]!.GetValue<string>());
        Assert.Equal(7, metadata["ApplicationProperties"]!["n"]!.GetValue<long>());
        Assert.Matches("^[0-9]+$", metadata["SequenceNumber"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", metadata["EnqueuedTimeUtc"]!.GetValue<string>());
        Assert.Equal("Echo", metadata["sys"]!["MethodName"]!.GetValue<string>());
        Assert.True(Guid.TryParse(metadata["sys"]!["RandGuid"]!.GetValue<string>(), out _));

        // Table output: one entity per element; the message is completed (gone from the queue).
        await runner.WaitUntilAsync(async () => (await runner.RowsAsync(runner.EchoTable)).Count == 1, "the table row");
        var row = Assert.Single(await runner.RowsAsync(runner.EchoTable));
        Assert.Equal(("echo", "m-1", "hello", 1), (row.PartitionKey, row.RowKey, row.GetString("Text"), row.GetInt32("Delivery")));
        await runner.WaitUntilAsync(async () => await runner.CountAsync(runner.EchoQueue) == 0, "the message to be completed");
        Assert.Contains(runner.Log, line => line.Contains("[Echo] echo hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_message_is_redelivered_with_a_growing_delivery_count_then_dead_lettered_with_the_reason()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite, maxDeliveryCount: 3);

        await runner.SendAsync(runner.EchoQueue, LocalServiceBusEnvelope.FromText("fail", messageId: "bad-1"));
        var dead = Assert.Single(await runner.WaitForMessagesAsync(LocalServiceBusEnvelope.DeadLetterQueueName(runner.EchoQueue), 1));

        Assert.Equal("bad-1", dead.MessageId);
        Assert.Equal("fail", dead.BodyText);
        Assert.Equal(ServiceBusTriggerListener.MaxDeliveryCountExceeded, dead.DeadLetterReason);
        Assert.Contains("HTTP 500", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Contains("boom on delivery 3", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        await runner.WaitUntilAsync(async () => await runner.CountAsync(runner.EchoQueue) == 0, "the source queue to be empty");
        Assert.Equal(0, await runner.CountAsync(runner.EchoQueue + "-out"));
        Assert.Equal(3, runner.Host.Invoker.Failed);
        foreach (var delivery in new[] { 1, 2, 3 })
        {
            Assert.Contains(runner.Log, line => line.Contains($"boom on delivery {delivery}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_then_succeeds_once()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite);

        await runner.SendAsync(runner.EchoQueue, LocalServiceBusEnvelope.FromText("fail-twice", messageId: "t-1"));
        await runner.WaitUntilAsync(async () => (await runner.RowsAsync(runner.EchoTable)).Count == 1, "the row after retries");

        var row = Assert.Single(await runner.RowsAsync(runner.EchoTable));
        Assert.Equal(3, row.GetInt32("Delivery"));
        Assert.Equal(2, runner.Host.Invoker.Failed);
        Assert.Equal(0, await runner.CountAsync(LocalServiceBusEnvelope.DeadLetterQueueName(runner.EchoQueue)));
    }

    [Fact]
    public async Task An_empty_2xx_body_is_reported_as_a_protocol_error_and_writes_nothing()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite, maxDeliveryCount: 1);

        await runner.SendAsync(runner.EchoQueue, LocalServiceBusEnvelope.FromText("empty", messageId: "e-1"));
        var dead = Assert.Single(await runner.WaitForMessagesAsync(LocalServiceBusEnvelope.DeadLetterQueueName(runner.EchoQueue), 1));

        Assert.Contains("protocol error", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Contains("empty body", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Equal(1, runner.Host.Invoker.ProtocolErrors);
        Assert.Equal(0, await runner.CountAsync(runner.EchoQueue + "-out"));
    }

    [Fact]
    public async Task A_handler_that_dies_is_restarted_and_the_message_is_redelivered()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite, maxDeliveryCount: 2);
        var firstPid = runner.Host.Handler.ProcessId;

        await runner.SendAsync(runner.EchoQueue, LocalServiceBusEnvelope.FromText("crash", messageId: "c-1"));
        await runner.WaitForMessagesAsync(LocalServiceBusEnvelope.DeadLetterQueueName(runner.EchoQueue), 1);
        await runner.SendAsync(runner.EchoQueue, LocalServiceBusEnvelope.FromText("after", messageId: "a-1"));
        await runner.WaitForMessagesAsync(runner.EchoQueue + "-out", 2);

        Assert.True(runner.Host.Handler.Starts >= 2, $"handler started {runner.Host.Handler.Starts} time(s)");
        Assert.NotEqual(firstPid, runner.Host.Handler.ProcessId);
    }

    [Fact]
    public async Task Run_now_over_the_admin_api_invokes_the_timer_and_keeps_its_schedule_status()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite);
        using var http = new HttpClient();

        using var first = await http.PostAsync(new Uri(runner.Host.BaseAddress, "admin/functions/Tick"), new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var tick = Assert.Single(await runner.WaitForMessagesAsync(runner.TickQueue, 1));
        var timer = JsonNode.Parse(tick.BodyText)!["Data"]!["timer"]!;
        Assert.False(timer["IsPastDue"]!.GetValue<bool>());
        Assert.Null(timer["ScheduleStatus"]);
        Assert.NotNull(timer["Schedule"]);

        Assert.Null((await runner.Host.RunNowAsync("Tick")).Error);
        var ticks = await runner.WaitForMessagesAsync(runner.TickQueue, 2);
        var status = JsonNode.Parse(ticks[1].BodyText)!["Data"]!["timer"]!["ScheduleStatus"]!;
        var next = DateTimeOffset.Parse(status["Next"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new DateTimeOffset(DateTimeOffset.UtcNow.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public async Task A_timer_fires_on_its_six_field_schedule()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite, tickSchedule: "*/1 * * * * *");

        var ticks = await runner.WaitForMessagesAsync(runner.TickQueue, 2, TimeSpan.FromSeconds(15));

        Assert.All(ticks, t => Assert.Equal("Tick", JsonNode.Parse(t.BodyText)!["Metadata"]!["sys"]!["MethodName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_created_blob_is_announced_once_as_an_event_grid_event_even_across_restarts()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite);
        var container = new BlobContainerClient(azurite.ConnectionString, runner.InboundContainer);
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("2026/11/22/m1.eml").UploadAsync(
            BinaryData.FromString("From: a@example.com\r\n\r\nhi\r\n"),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" } });

        var seen = Assert.Single(await runner.WaitForMessagesAsync(runner.InboundQueue + "-seen", 1));
        var request = JsonNode.Parse(seen.BodyText)!;
        var body = Convert.FromBase64String(request["Data"]!["event"]!.GetValue<string>());
        var evt = JsonNode.Parse(body)!;
        Assert.Equal("Microsoft.Storage.BlobCreated", evt["eventType"]!.GetValue<string>());
        Assert.Equal($"/blobServices/default/containers/{runner.InboundContainer}/blobs/2026/11/22/m1.eml", evt["subject"]!.GetValue<string>());
        Assert.Equal("message/rfc822", evt["data"]!["contentType"]!.GetValue<string>());
        Assert.Equal(27, evt["data"]!["contentLength"]!.GetValue<long>());
        Assert.Equal("BlockBlob", evt["data"]!["blobType"]!.GetValue<string>());
        Assert.EndsWith($"/{runner.InboundContainer}/2026/11/22/m1.eml", evt["data"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("1", evt["metadataVersion"]!.GetValue<string>());
        Assert.Equal(JsonSerializer.Serialize(evt["id"]!.GetValue<string>()), request["Metadata"]!["MessageId"]!.GetValue<string>());

        await runner.RestartAsync();
        await container.GetBlobClient("2026/11/22/m2.eml").UploadAsync(BinaryData.FromString("x"));
        await runner.WaitForMessagesAsync(runner.InboundQueue + "-seen", 2);
        await Task.Delay(1000);

        Assert.Equal(2, await runner.CountAsync(runner.InboundQueue + "-seen"));
    }

    [Fact]
    public async Task An_http_trigger_is_served_under_api_with_the_handler_answer()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(runner.Host.BaseAddress, "api/health"));
        using var wrongMethod = await http.PostAsync(new Uri(runner.Host.BaseAddress, "api/health"), new StringContent(""));
        using var missing = await http.GetAsync(new Uri(runner.Host.BaseAddress, "api/nothing"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", await response.Content.ReadAsStringAsync());
        Assert.Equal("test", response.Headers.GetValues("X-Handler").Single());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Disabled_functions_are_not_loaded()
    {
        await using var runner = await RunnerHarness.StartAsync(azurite);

        Assert.Equal(["Echo", "Events", "Health", "Tick"], runner.Host.Functions.Select(f => f.Name));
    }
}
