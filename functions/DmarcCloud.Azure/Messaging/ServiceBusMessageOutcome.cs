namespace DmarcCloud.Azure.Messaging;

/// <summary>
/// What a <see cref="IServiceBusMessageHandler"/> decided for one message; <see cref="ServiceBusDrain"/> settles
/// the message accordingly.
/// </summary>
/// <param name="Settlement">Complete, abandon (retry later) or dead-letter (never retry).</param>
/// <param name="Reason">Short reason: the dead-letter reason, or the fault that asks for a retry.</param>
/// <param name="Description">Longer text (dead-letter error description), if any.</param>
public sealed record ServiceBusMessageOutcome(ServiceBusSettlement Settlement, string Reason, string? Description = null)
{
    /// <summary>Done: complete the message.</summary>
    public static ServiceBusMessageOutcome Completed(string summary) => new(ServiceBusSettlement.Complete, summary);

    /// <summary>A transient fault: abandon so Service Bus redelivers (and dead-letters at MaxDeliveryCount).</summary>
    public static ServiceBusMessageOutcome Retry(string fault) => new(ServiceBusSettlement.Abandon, fault);

    /// <summary>Permanent bad input: dead-letter at once with <paramref name="reason"/>.</summary>
    public static ServiceBusMessageOutcome DeadLetter(string reason, string description) => new(ServiceBusSettlement.DeadLetter, reason, description);
}
