namespace DmarcCloud.LocalHost.Triggers;

/// <summary>How the runner plays a Service Bus queue with an Azurite queue.</summary>
public sealed record ServiceBusTriggerOptions
{
    /// <summary>Deliveries before a message is dead-lettered (Service Bus default 10).</summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>The lock: the visibility timeout of a received message.</summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Concurrent invocations per function.</summary>
    public int MaxConcurrentCalls { get; init; } = 16;

    /// <summary>The longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
