namespace DmarcCloud.Functions.Evaluation;

/// <summary>Settings of the inbound path (configuration section <c>Inbound</c>, e.g. <c>Inbound__MaxMessageBytes</c>).</summary>
public sealed class InboundOptions
{
    /// <summary>The container mail is written to.</summary>
    public string Container { get; set; } = "inbound";

    /// <summary>Larger messages are not evaluated but recorded as <c>TooLarge</c>. Default 25 MiB (a common gateway limit).</summary>
    public long MaxMessageBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// A DMARC <c>temperror</c> (DNS outage) is retried until this delivery; from then on the temperror verdict
    /// is accepted and stored (RFC 9989 allows it). Default 3.
    /// </summary>
    public int TempErrorDeliveries { get; set; } = 3;

    /// <summary>The queue's <c>maxDeliveryCount</c>: on this delivery a transient fault is recorded before Service Bus dead-letters the message.</summary>
    public int MaxDeliveryCount { get; set; } = 10;
}
