namespace DmarcCloud.Functions.Evaluation;

/// <summary>What the host tells about one Service Bus delivery (from the invocation's Metadata).</summary>
/// <param name="MessageId">The Service Bus message id.</param>
/// <param name="DeliveryCount">1 on the first delivery.</param>
public sealed record ServiceBusDelivery(string? MessageId, long DeliveryCount);
