namespace DmarcCloud.Azure.Storage;

/// <summary>One inbound message that could not be evaluated, and why.</summary>
/// <param name="Key">What identifies the input: the message key when known, else the queue message id.</param>
/// <param name="Kind">The class of problem.</param>
/// <param name="Reason">A human-readable reason.</param>
/// <param name="OccurredAt">When it was recorded (UTC).</param>
/// <param name="Blob">The blob (<c>container/name</c>), when known.</param>
/// <param name="MessageId">The trigger queue message id, when known.</param>
/// <param name="DeliveryCount">The delivery attempt (queue dequeue count) that recorded it.</param>
public sealed record ProcessingError(
    string Key,
    ProcessingErrorKind Kind,
    string Reason,
    DateTimeOffset OccurredAt,
    string? Blob = null,
    string? MessageId = null,
    long? DeliveryCount = null);
