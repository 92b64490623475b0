namespace DmarcCloud.LocalHost.Configuration;

/// <summary>
/// <c>extensions.queues</c> of host.json, with the Storage Queues extension's defaults (v5): batchSize 16,
/// newBatchThreshold batchSize/2 × cores, visibilityTimeout 0, maxDequeueCount 5, messageEncoding base64,
/// maxPollingInterval 1 minute.
/// </summary>
public sealed record QueueTriggerSettings
{
    /// <summary>Messages fetched per receive (1–32).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Fetch the next batch when fewer than this many are still running (null: the extension's default).</summary>
    public int? NewBatchThreshold { get; init; }

    /// <summary>How long a failed message stays invisible before its retry.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Attempts before a message goes to <c>&lt;queue&gt;-poison</c>.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>The longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether queue messages are base64 (the default) or plain text (<c>none</c>).</summary>
    public bool Base64 { get; init; } = true;

    /// <summary>The threshold in effect (the extension's default: batchSize/2 × processor count).</summary>
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? Math.Max(1, BatchSize / 2 * Environment.ProcessorCount);
}
