using System.Diagnostics;
using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>The broker as a process, the way scripts start it.</summary>
public sealed class ConsoleTests
{
    [Fact]
    public async Task Console_prints_a_connection_string_the_SDK_can_use()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DmarcCloud.LocalServiceBus.dll");
        var config = Path.Combine(AppContext.BaseDirectory, "queues.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--config", config, "--port", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(BrokerFixture.Patience);
            Assert.NotNull(line);
            Assert.StartsWith("Endpoint=sb://127.0.0.1:", line, StringComparison.Ordinal);

            await using var client = new ServiceBusClient(line);
            await using var sender = client.CreateSender("verdicts");
            await sender.SendMessageAsync(new ServiceBusMessage("through the console broker"));
            await using var receiver = client.CreateReceiver("verdicts", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
            var message = await receiver.ReceiveMessageAsync(BrokerFixture.Patience);
            Assert.Equal("through the console broker", message?.Body.ToString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Console_stops_cleanly_on_SIGTERM_and_a_restart_on_the_same_data_finds_the_message()
    {
        var data = Path.Combine(Path.GetTempPath(), "dmarccloud-sbc-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var first = StartConsole("--data", data))
            {
                var connection = await ReadConnectionStringAsync(first);
                await using (var client = new ServiceBusClient(connection))
                await using (var sender = client.CreateSender("verdicts"))
                {
                    await sender.SendMessageAsync(new ServiceBusMessage("kept on disk"));
                }

                await StopWithSigtermAsync(first);
                Assert.Equal(0, first.ExitCode);
                Assert.Contains("stopped", await first.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
            }

            using var second = StartConsole("--data", data);
            try
            {
                await using var client = new ServiceBusClient(await ReadConnectionStringAsync(second));
                await using var receiver = client.CreateReceiver("verdicts");
                var message = await receiver.ReceiveMessageAsync(BrokerFixture.Patience);
                Assert.Equal("kept on disk", message?.Body.ToString());
                await receiver.CompleteMessageAsync(message);
            }
            finally
            {
                await StopWithSigtermAsync(second);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    static Process StartConsole(params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DmarcCloud.LocalServiceBus.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "queues.json"));
        foreach (var arg in extra)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    static async Task<string> ReadConnectionStringAsync(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(BrokerFixture.Patience);
        Assert.NotNull(line);
        return line;
    }

    static async Task StopWithSigtermAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(BrokerFixture.Patience);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    [Fact]
    public async Task Console_refuses_a_bad_configuration_with_exit_code_2()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DmarcCloud.LocalServiceBus.dll");
        var config = Path.Combine(Path.GetTempPath(), $"bad-queues-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{ "queues": { "q": { "lockDuration": 5 } } }""");
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { dll, "--config", config })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync().WaitAsync(BrokerFixture.Patience);
            await process.WaitForExitAsync().WaitAsync(BrokerFixture.Patience);
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("lockDuration", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
