using DmarcCloud.Azure.Messaging;
using DmarcCloud.Functions.Evaluation;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Functions.Tests.Configuration;

/// <summary>Options are bound once and validated at start-up: a bad setting stops the app with its reason.</summary>
public class StartupValidationTests
{
    [Theory]
    [InlineData("Inbound:MaxDequeueCount", "0", "Inbound:MaxDequeueCount must be 1–100")]
    [InlineData("Inbound:TempErrorDeliveries", "9", "Inbound:TempErrorDeliveries must be 1–MaxDequeueCount (5)")]
    [InlineData("Inbound:MaxMessageBytes", "10", "Inbound:MaxMessageBytes must be 1 KiB–2 GiB")]
    [InlineData("Inbound:Container", " ", "Inbound:Container must not be empty")]
    public void Invalid_inbound_settings_are_rejected(string key, string value, string reason)
    {
        using var app = Build(key, value);
        var ex = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<InboundOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.StartsWith(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ServiceBusDrain:MaxConcurrency", "0", "ServiceBusDrain:MaxConcurrency must be 1–256")]
    [InlineData("ServiceBusDrain:TimeBudget", "00:15:00", "ServiceBusDrain:TimeBudget must be above zero and at most 00:09:00")]
    [InlineData("ServiceBusDrain:ReceiveWaitTime", "00:00:00", "ServiceBusDrain:ReceiveWaitTime must be above zero")]
    public void Invalid_drain_settings_are_rejected(string key, string value, string reason)
    {
        using var app = Build(key, value);
        var ex = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<ServiceBusDrainOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.StartsWith(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_valid_and_match_host_json()
    {
        using var app = Build("Unrelated", "x");
        var inbound = app.GetRequiredService<IOptions<InboundOptions>>().Value;
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(queues.GetProperty("maxDequeueCount").GetInt32(), inbound.MaxDequeueCount);
        Assert.Equal("none", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(16, app.GetRequiredService<IOptions<ServiceBusDrainOptions>>().Value.MaxConcurrency);
    }

    [Fact]
    public void Storage_without_a_connection_string_or_service_uri_is_rejected_with_what_to_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage:credential"] = "managedidentity" }).Build();
        var ex = Assert.Throws<InvalidOperationException>(() => StorageClientConfiguration.For(configuration, "blob"));
        Assert.Contains("__blobServiceUri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_based_storage_settings_map_to_service_uri_credential_and_client_id()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:queueServiceUri"] = "https://st1.queue.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["AzureWebJobsStorage:accountName"] = "st1",
        }).Build();

        var queue = StorageClientConfiguration.For(configuration, "queue");
        var table = StorageClientConfiguration.For(configuration, "table");

        Assert.Equal("https://st1.queue.core.windows.net", queue["serviceUri"]);
        Assert.Equal("managedidentity", queue["credential"]);
        Assert.Equal("00000000-0000-0000-0000-000000000001", queue["clientId"]);
        Assert.Equal("https://st1.table.core.windows.net", table["serviceUri"]);
        Assert.Null(queue["connectionString"]);
    }

    private static ServiceProvider Build(string key, string value) =>
        AppServices.Build("UseDevelopmentStorage=true", new RecordingPublisher(), settings: new Dictionary<string, string?> { [key] = value });
}
