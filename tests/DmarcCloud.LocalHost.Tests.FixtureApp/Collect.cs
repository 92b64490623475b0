using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.LocalHost.Tests.FixtureApp;

/// <summary>
/// Queue: writes one line per invocation (message text and dequeue count) to the file named by the
/// <c>FixtureOutput</c> setting; a message starting with <c>fail</c> throws (retried, then poison).
/// </summary>
public static class Collect
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    [Function(nameof(Collect))]
    public static async Task RunAsync([QueueTrigger("%FixtureQueue%", Connection = "AzureWebJobsStorage")] string message, long dequeueCount, string id)
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await File.AppendAllTextAsync(Output("collect"), $"{message}|{dequeueCount}|{id}\n").ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }

        if (message.StartsWith("fail", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"failing on purpose: {message}");
        }
    }

    internal static string Output(string kind) =>
        Path.Combine(Environment.GetEnvironmentVariable("FixtureOutput") ?? Path.GetTempPath(), kind + ".txt");
}
