using Azure;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// Which exceptions mean "storage is unreachable, failing or too slow for now" (retry later), not a bug. A cancellation
/// counts as a time-out: every caller excludes its own stop (<c>when (!token.IsCancellationRequested &amp;&amp; …)</c>).
/// </summary>
internal static class StorageFaults
{
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        // A time-out: the Storage SDK ends a try after its NetworkTimeout with a TaskCanceledException (after its retries,
        // an AggregateException of them). Callers test their own cancellation token first: a stop is not an outage.
        OperationCanceledException => true,
        _ => false,
    };

    public static string Describe(Exception e) => e switch
    {
        RequestFailedException r when r.Status > 0 => $"{r.Status} {r.ErrorCode}",
        RequestFailedException r => r.InnerException?.Message ?? r.Message.Split('\n')[0],
        AggregateException a => Describe(a.InnerExceptions[^1]),
        _ => e.Message.Split('\n')[0],
    };
}
