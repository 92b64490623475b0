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
