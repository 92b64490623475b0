using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Testing;

namespace DmarcCloud.Functions.Tests.EvaluateMessage;

/// <summary>
/// EvaluateMessage over HTTP exactly as the host calls it, against Azurite. The evaluator is scripted here: these
/// tests cover decoding, outputs, storage and error paths, not evaluation.
/// </summary>
public class EvaluateMessageFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly SmtpEnvelope Envelope = new(IPAddress.Parse("192.0.2.10"), "mx.example.com", "bounce@example.com",
        ["user@receiver.example"], new DateTimeOffset(2026, 11, 22, 15, 4, 5, TimeSpan.Zero));

    private static readonly byte[] Message = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n");

    [Fact]
    public async Task A_recorded_payload_is_evaluated_stored_and_answered_with_both_outputs()
    {
        await UploadAsync("recorded/msg-0001.eml", Message, Envelope);
        var evaluator = new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope));
        using var factory = new HandlerFactory(azurite.ConnectionString, evaluator);

        var (status, body) = await PostAsync(factory, "EvaluateMessage", Payloads.Read("servicebus-blobcreated.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        var verdicts = Messages(body, "verdicts");
        var verdict = JsonDocument.Parse(Assert.Single(verdicts)).RootElement;
        Assert.Equal("fail", verdict.GetProperty("dmarc").GetString());
        Assert.Equal("reject", verdict.GetProperty("disposition").GetString());
        Assert.Equal("example.com", verdict.GetProperty("policyDomain").GetString());
        Assert.Equal("inbound/recorded/msg-0001.eml", verdict.GetProperty("blob").GetString());
        Assert.StartsWith("Authentication-Results: ", verdict.GetProperty("authenticationResults").GetString(), StringComparison.Ordinal);
        var report = JsonDocument.Parse(Assert.Single(Messages(body, "failureReports"))).RootElement;
        Assert.Equal(["1"], report.GetProperty("fo").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("mailto:ruf@example.com", report.GetProperty("ruf")[0].GetString());
        Assert.Equal(1, evaluator.Calls);

        var key = verdict.GetProperty("messageKey").GetString()!;
        var rows = await VerdictRowsAsync(key);
        Assert.Single(rows);
    }

    [Fact]
    public async Task A_redelivered_message_is_stored_once()
    {
        await UploadAsync("redelivery/a.eml", Message, Envelope);
        using var factory = new HandlerFactory(azurite.ConnectionString, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));
        var eventBody = Payloads.BlobCreated("redelivery/a.eml");

        var keys = new List<string>();
        for (var delivery = 1; delivery <= 3; delivery++)
        {
            var (status, body) = await PostAsync(factory, "EvaluateMessage", Payloads.ServiceBus(eventBody, delivery, "sb-redelivery"));
            Assert.Equal(HttpStatusCode.OK, status);
            keys.Add(JsonDocument.Parse(Assert.Single(Messages(body, "verdicts"))).RootElement.GetProperty("messageKey").GetString()!);
        }

        Assert.Single(keys.Distinct());
        Assert.Single(await VerdictRowsAsync(keys[0]));
    }

    [Theory]
    [InlineData("not json", null, ProcessingErrorKind.MalformedEvent, "the message body is not JSON")]
    [InlineData("{\"eventType\":\"Microsoft.Storage.BlobDeleted\",\"subject\":\"/blobServices/default/containers/inbound/blobs/x.eml\"}", null, ProcessingErrorKind.UnexpectedEvent, "unexpected event type")]
    [InlineData("blob:elsewhere/x.eml", null, ProcessingErrorKind.UnexpectedEvent, "the blob is in container 'elsewhere'")]
    [InlineData("blob:inbound/deleted.eml", null, ProcessingErrorKind.BlobNotFound, "the blob does not exist")]
    [InlineData("blob:inbound/no-envelope.eml", "upload-without-envelope", ProcessingErrorKind.BadEnvelope, "blob metadata 'clientip' is missing")]
    public async Task Bad_input_is_recorded_with_its_reason_and_acknowledged(string input, string? setup, ProcessingErrorKind kind, string reason)
    {
        var evaluator = new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope));
        using var factory = new HandlerFactory(azurite.ConnectionString, evaluator);
        var messageId = "bad-" + Guid.NewGuid().ToString("N");
        byte[] eventBody;
        if (input.StartsWith("blob:", StringComparison.Ordinal))
        {
            var path = input[5..].Split('/', 2);
            if (setup == "upload-without-envelope")
            {
                var container = new BlobContainerClient(azurite.ConnectionString, path[0]);
                await container.CreateIfNotExistsAsync();
                await container.GetBlobClient(path[1]).UploadAsync(BinaryData.FromBytes(Message), overwrite: true);
            }

            eventBody = Payloads.BlobCreated(path[1], path[0]);
        }
        else
        {
            eventBody = Encoding.UTF8.GetBytes(input);
        }

        var (status, body) = await PostAsync(factory, "EvaluateMessage", Payloads.ServiceBus(eventBody, 1, messageId));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Messages(body, "verdicts"));
        Assert.Empty(Messages(body, "failureReports"));
        Assert.Equal(0, evaluator.Calls);
        var error = Assert.Single(await ErrorsAsync(), e => e.MessageId == messageId);
        Assert.Equal(kind, error.Kind);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_50_MB_message_is_recorded_as_too_large_without_being_read()
    {
        var big = new byte[50 * 1024 * 1024];
        Message.CopyTo(big, 0);
        await UploadAsync("big/50mb.eml", big, Envelope);
        var evaluator = new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope));
        using var factory = new HandlerFactory(azurite.ConnectionString, evaluator);

        var (status, body) = await PostAsync(factory, "EvaluateMessage", Payloads.ServiceBus(Payloads.BlobCreated("big/50mb.eml"), 1, "sb-big"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Messages(body, "verdicts"));
        Assert.Equal(0, evaluator.Calls);
        var error = Assert.Single(await ErrorsAsync(), e => e.MessageId == "sb-big");
        Assert.Equal(ProcessingErrorKind.TooLarge, error.Kind);
        Assert.Equal("the message is 52428800 bytes, over the 26214400-byte limit", error.Reason);
    }

    [Fact]
    public async Task A_dmarc_temperror_is_retried_then_accepted_on_the_configured_delivery()
    {
        await UploadAsync("temperror/a.eml", Message, Envelope);
        using var factory = new HandlerFactory(azurite.ConnectionString, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.TempError(envelope)));
        var eventBody = Payloads.BlobCreated("temperror/a.eml");

        var (first, firstBody) = await PostAsync(factory, "EvaluateMessage", Payloads.ServiceBus(eventBody, 1, "sb-temp"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first);
        Assert.Contains("DMARC temperror on delivery 1 of 3", Logs(firstBody).Single(), StringComparison.Ordinal);

        var (third, thirdBody) = await PostAsync(factory, "EvaluateMessage", Payloads.ServiceBus(eventBody, 3, "sb-temp"));
        Assert.Equal(HttpStatusCode.OK, third);
        var verdict = JsonDocument.Parse(Assert.Single(Messages(thirdBody, "verdicts"))).RootElement;
        Assert.Equal("temperror", verdict.GetProperty("dmarc").GetString());
        Assert.Single(await VerdictRowsAsync(verdict.GetProperty("messageKey").GetString()!));
    }

    [Fact]
    public async Task Storage_down_asks_for_a_redelivery_and_the_last_delivery_records_the_reason()
    {
        // Blob endpoint on a port nothing listens on; tables on Azurite so the dead-letter reason can be recorded.
        var tablePort = new Uri(new TableServiceClient(azurite.ConnectionString).Uri.ToString()).Port;
        var broken = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DmarcCloud.Testing.AzuriteProcess.AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ClosedPort()}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
        using var factory = new HandlerFactory(broken, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)),
            new Dictionary<string, string?> { ["Inbound:MaxDeliveryCount"] = "2" });
        var eventBody = Payloads.BlobCreated("down/a.eml");

        var (first, firstBody) = await PostAsync(factory, "EvaluateMessage", Payloads.ServiceBus(eventBody, 1, "sb-down"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first);
        Assert.Contains("transient fault on delivery 1", Logs(firstBody).Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(await ErrorsAsync(), e => e.MessageId == "sb-down");

        var (last, _) = await PostAsync(factory, "EvaluateMessage", Payloads.ServiceBus(eventBody, 2, "sb-down"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, last);
        var error = Assert.Single(await ErrorsAsync(), e => e.MessageId == "sb-down");
        Assert.Equal(ProcessingErrorKind.DeliveryLimitReached, error.Kind);
        Assert.StartsWith("dead-lettered after 2 deliveries; last fault: transient fault on delivery 2", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_string_body_sent_without_binary_data_type_is_decoded_too()
    {
        await UploadAsync("recorded/msg-0001.eml", Message, Envelope);
        using var factory = new HandlerFactory(azurite.ConnectionString, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));

        var (status, body) = await PostAsync(factory, "EvaluateMessage", Payloads.Read("servicebus-string-body.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(Messages(body, "verdicts"));
    }

    [Fact]
    public async Task An_unreadable_request_fails_with_a_json_body()
    {
        using var factory = new HandlerFactory(azurite.ConnectionString, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));

        var (status, body) = await PostAsync(factory, "EvaluateMessage", "this is not json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("unreadable invocation request", Logs(body).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readiness_probe_answers_on_get_root()
    {
        using var factory = new HandlerFactory(azurite.ConnectionString);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", await response.Content.ReadAsStringAsync());
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HandlerFactory factory, string function, string payload)
    {
        using var client = factory.CreateClient();
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/" + function, UriKind.Relative)) { Content = content };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        // Never an empty body, whatever the status: the host would wait for functionTimeout.
        Assert.False(string.IsNullOrWhiteSpace(text), $"{function} answered {(int)response.StatusCode} with an empty body");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
        Assert.True(body.TryGetProperty("ReturnValue", out _));
        return (response.StatusCode, body);
    }

    private static List<string> Messages(JsonElement body, string binding)
    {
        var output = body.GetProperty("Outputs").GetProperty(binding);
        Assert.Equal(JsonValueKind.Array, output.ValueKind);
        return output.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static List<string> Logs(JsonElement body) => body.GetProperty("Logs").EnumerateArray().Select(e => e.GetString()!).ToList();

    private async Task UploadAsync(string name, byte[] content, SmtpEnvelope envelope)
    {
        var container = new BlobContainerClient(azurite.ConnectionString, InboundMetadata.Container);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        await blob.SetMetadataAsync(InboundMetadata.ToMetadata(envelope));
    }

    private async Task<List<TableEntity>> VerdictRowsAsync(string messageKey)
    {
        var table = new TableClient(azurite.ConnectionString, "Verdicts");
        return await table.QueryAsync<TableEntity>(e => e.RowKey == messageKey).ToListAsync();
    }

    private async Task<List<ProcessingError>> ErrorsAsync()
    {
        var store = new TableProcessingErrorStore(new TableServiceClient(azurite.ConnectionString));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return await store.ListAsync(today).ToListAsync();
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
