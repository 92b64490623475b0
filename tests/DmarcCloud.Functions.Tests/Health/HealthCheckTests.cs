using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DmarcCloud.Azure;
using DmarcCloud.Functions.Health;
using DmarcCloud.Testing;

namespace DmarcCloud.Functions.Tests.Health;

public class HealthCheckTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Health_reports_each_component_and_is_healthy_when_the_inbound_container_and_queue_exist()
    {
        await new BlobContainerClient(azurite.ConnectionString, ResourceNames.InboundContainer).CreateIfNotExistsAsync();
        await new QueueClient(azurite.ConnectionString, ResourceNames.InboundEventsQueue).CreateIfNotExistsAsync();
        await using var app = AppServices.Build(azurite.ConnectionString, new RecordingPublisher(), new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));

        var report = await app.GetRequiredService<HealthCheck>().RunAsync(CancellationToken.None);

        var components = report.Components.ToDictionary(c => c.Name, c => c.Healthy);
        Assert.Equal(["blob", "queue", "table", "evaluator", "dns"], report.Components.Select(c => c.Name));
        Assert.True(components["blob"]);
        Assert.True(components["queue"]);
        Assert.True(components["table"]);
        Assert.True(components["evaluator"]);
        Assert.Equal(components.Values.All(h => h) ? "healthy" : "unhealthy", report.Status);
    }

    [Fact]
    public async Task Health_is_unhealthy_when_storage_does_not_answer()
    {
        var closed = StorageEndpoints.With(azurite.ConnectionString, StorageEndpoints.ClosedPort(), StorageEndpoints.ClosedPort(), StorageEndpoints.ClosedPort());
        await using var app = AppServices.Build(closed, new RecordingPublisher(), new ScriptedEvaluator((envelope, _) => ScriptedVerdicts.Fail(envelope)));

        var report = await app.GetRequiredService<HealthCheck>().RunAsync(CancellationToken.None);

        Assert.Equal("unhealthy", report.Status);
        Assert.False(report.Components.Single(c => c.Name == "blob").Healthy);
        Assert.False(report.Components.Single(c => c.Name == "queue").Healthy);
    }
}
