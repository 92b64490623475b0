namespace DmarcCloud.LocalHost.Configuration;

/// <summary>What the local host takes from the app's <c>host.json</c>.</summary>
public sealed record HostConfiguration
{
    /// <summary><c>functionTimeout</c> (default 30 minutes, as on Flex Consumption).</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary><c>extensions.http.routePrefix</c> (default <c>api</c>).</summary>
    public string HttpRoutePrefix { get; init; } = "api";

    /// <summary><c>extensions.queues</c>.</summary>
    public QueueTriggerSettings Queues { get; init; } = new();
}
