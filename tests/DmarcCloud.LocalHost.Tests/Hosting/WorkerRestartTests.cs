using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DmarcCloud.LocalHost.Hosting;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>A worker that dies is reported with its exit code and replaced; the functions work again afterwards.</summary>
public sealed class WorkerRestartTests() : OwnAzuriteTest("restart")
{
    [Fact]
    public async Task A_crashed_worker_is_reported_and_restarted_and_serves_again()
    {
        var options = FixtureAppHost.Options(Azurite.ConnectionString, Output, Console, new Dictionary<string, string> { ["CrashOnTick"] = "1" });
        await using var host = await LocalFunctionsHost.StartAsync(options);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        var firstPid = host.Worker.ProcessId;

        using var crash = await http.PostAsJsonAsync(new Uri(host.BaseAddress, "admin/functions/Tick"), new { input = "" });
        var outcome = JsonNode.Parse(await crash.Content.ReadAsStringAsync())!;
        Assert.False((bool)outcome["succeeded"]!);

        // The next request waits for the new worker.
        var body = await http.GetStringAsync(new Uri(host.BaseAddress, "api/echo/again"));

        Assert.Equal("GET again q= h= body=", body);
        Assert.Equal(1, host.Worker.Restarts);
        Assert.NotEqual(firstPid, host.Worker.ProcessId);
        Assert.Contains(Console, l => l.Contains($"(pid {firstPid}) exited with code", StringComparison.Ordinal));
        Assert.Contains(File.ReadAllLines(Path.Combine(Output, "host.log")), l => l.Contains("CrashOnTick", StringComparison.Ordinal));
    }
}
