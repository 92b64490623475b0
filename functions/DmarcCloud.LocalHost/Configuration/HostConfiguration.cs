namespace DmarcCloud.LocalHost.Configuration;

/// <summary>What the local runner takes from <c>host.json</c>.</summary>
public sealed record HostConfiguration
{
    /// <summary><c>customHandler.description.defaultExecutablePath</c>.</summary>
    public string? ExecutablePath { get; init; }

    /// <summary><c>customHandler.description.arguments</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary><c>customHandler.description.workingDirectory</c> (empty: the app root).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary><c>customHandler.enableForwardingHttpRequest</c>.</summary>
    public bool EnableForwardingHttpRequest { get; init; }

    /// <summary><c>functionTimeout</c> (default 30 minutes, as on Flex Consumption).</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary><c>extensions.serviceBus.maxConcurrentCalls</c> (default 16, as the Service Bus extension per core).</summary>
    public int ServiceBusMaxConcurrentCalls { get; init; } = 16;

    /// <summary><c>extensions.serviceBus.maxAutoLockRenewalDuration</c>: how long the lock is held while the function runs.</summary>
    public TimeSpan ServiceBusLockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>extensions.http.routePrefix</c> (default <c>api</c>).</summary>
    public string HttpRoutePrefix { get; init; } = "api";
}
