namespace DmarcCloud.LocalHost.Worker;

/// <summary>One received queue message, decoded, as the queue trigger hands it to the function.</summary>
public sealed record QueueDelivery
{
    /// <summary>The message id.</summary>
    public required string Id { get; init; }

    /// <summary>The pop receipt of this receive.</summary>
    public required string PopReceipt { get; init; }

    /// <summary>The decoded body.</summary>
    public required byte[] Body { get; init; }

    /// <summary>How many times the message has been received, this time included.</summary>
    public required long DequeueCount { get; init; }

    /// <summary>When the message was put on the queue.</summary>
    public DateTimeOffset? InsertedOn { get; init; }

    /// <summary>When the message expires.</summary>
    public DateTimeOffset? ExpiresOn { get; init; }

    /// <summary>When the message becomes visible again.</summary>
    public DateTimeOffset? NextVisibleOn { get; init; }
}
