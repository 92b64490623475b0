using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using DmarcCloud.Functions.Tests.EvaluateMessage;
using DmarcCloud.Testing;

namespace DmarcCloud.Functions.Tests.Health;

public class HealthFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Health_reports_each_component_in_an_http_output()
    {
        await new BlobContainerClient(azurite.ConnectionString, "inbound").CreateIfNotExistsAsync();
        using var factory = new HandlerFactory(azurite.ConnectionString, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));

        var (status, body) = await EvaluateMessageFunctionTests.PostAsync(factory, "Health", Payloads.Read("http-health.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        var res = body.GetProperty("Outputs").GetProperty("res");
        var report = JsonDocument.Parse(res.GetProperty("body").GetString()!).RootElement;
        var components = report.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("healthy").GetBoolean());
        Assert.True(components["blob"]);
        Assert.True(components["table"]);
        Assert.True(components["evaluator"]);
        var healthy = components.Values.All(h => h);
        Assert.Equal(healthy ? 200 : 503, res.GetProperty("statusCode").GetInt32());
        Assert.Equal(healthy ? "healthy" : "unhealthy", report.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_is_unhealthy_when_storage_does_not_answer()
    {
        var closed = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DmarcCloud.Testing.AzuriteProcess.AccountKey +
            ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        using var factory = new HandlerFactory(closed, new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));

        var (status, body) = await EvaluateMessageFunctionTests.PostAsync(factory, "Health", Payloads.Read("http-health.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        var res = body.GetProperty("Outputs").GetProperty("res");
        Assert.Equal(503, res.GetProperty("statusCode").GetInt32());
        var report = JsonDocument.Parse(res.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("unhealthy", report.GetProperty("status").GetString());
    }
}
