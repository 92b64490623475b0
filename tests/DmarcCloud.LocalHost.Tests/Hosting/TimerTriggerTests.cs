using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using DmarcCloud.LocalHost.Triggers;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>The timer trigger through the real worker: past due at start, and the admin "run now".</summary>
[Collection(FixtureAppCollection.Name)]
public class TimerTriggerTests(FixtureAppHost fixture)
{
    [Fact]
    public async Task A_missed_occurrence_runs_once_at_start_as_past_due()
    {
        await fixture.WaitAsync(() => Task.FromResult(fixture.Lines("tick").Length > 0), "the past-due tick");

        Assert.StartsWith("pastDue=True last=", fixture.Lines("tick")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_api_runs_the_timer_now_and_the_status_is_stored()
    {
        await fixture.WaitAsync(() => Task.FromResult(fixture.Lines("tick").Length > 0), "the past-due tick");
        var before = fixture.Lines("tick").Length;

        using var response = await fixture.Http.PostAsJsonAsync(new Uri(fixture.Host.BaseAddress, "admin/functions/Tick"), new { input = "" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool)body["succeeded"]!, body.ToJsonString());
        var lines = fixture.Lines("tick");
        Assert.Equal(before + 1, lines.Length);
        Assert.StartsWith("pastDue=False last=", lines[^1], StringComparison.Ordinal);
        var status = await new ScheduleStatusStore(new BlobServiceClient(fixture.Azurite.ConnectionString)).ReadAsync("Tick");
        Assert.NotNull(status);
        Assert.True(status!.Next > DateTimeOffset.UtcNow, "the next occurrence is in the future");
    }

    [Theory]
    [InlineData("NoSuchFunction", HttpStatusCode.NotFound)]
    [InlineData("Echo", HttpStatusCode.BadRequest)]
    public async Task The_admin_api_refuses_unknown_and_http_functions(string name, HttpStatusCode status)
    {
        using var response = await fixture.Http.PostAsJsonAsync(new Uri(fixture.Host.BaseAddress, $"admin/functions/{name}"), new { input = "" });

        Assert.Equal(status, response.StatusCode);
    }
}
