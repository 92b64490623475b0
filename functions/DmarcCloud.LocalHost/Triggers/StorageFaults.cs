using Azure;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>Which exceptions mean "storage is unreachable or failing for now" (retry later), not a bug.</summary>
internal static class StorageFaults
{
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        TaskCanceledException when e.InnerException is TimeoutException => true,
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
