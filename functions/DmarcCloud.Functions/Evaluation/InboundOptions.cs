namespace DmarcCloud.Functions.Evaluation;

/// <summary>Settings of the inbound path (configuration section <c>Inbound</c>, e.g. <c>Inbound__MaxMessageBytes</c>).</summary>
public sealed class InboundOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Inbound";

    /// <summary>The container mail is written to.</summary>
    public string Container { get; set; } = Azure.ResourceNames.InboundContainer;

    /// <summary>Larger messages are not evaluated but recorded as <c>TooLarge</c>. Default 25 MiB (a common gateway limit).</summary>
    public long MaxMessageBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// A DMARC <c>temperror</c> (DNS outage) is retried until this dequeue; from then on the temperror verdict
    /// is accepted and stored (RFC 9989 allows it). Default 3.
    /// </summary>
    public int TempErrorDeliveries { get; set; } = 3;

    /// <summary>
    /// host.json <c>extensions.queues.maxDequeueCount</c> (default 5): on this dequeue a transient fault is recorded in
    /// ProcessingErrors before the queue extension moves the message to <c>inbound-events-poison</c>.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>The reasons these settings are unusable; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Container))
        {
            errors.Add($"{SectionName}:Container must not be empty");
        }

        if (MaxMessageBytes is < 1024 or > 1L << 31)
        {
            errors.Add($"{SectionName}:MaxMessageBytes must be 1 KiB–2 GiB, not {MaxMessageBytes}");
        }

        if (MaxDequeueCount is < 1 or > 100)
        {
            errors.Add($"{SectionName}:MaxDequeueCount must be 1–100, not {MaxDequeueCount}");
        }

        if (TempErrorDeliveries < 1 || TempErrorDeliveries > MaxDequeueCount)
        {
            errors.Add($"{SectionName}:TempErrorDeliveries must be 1–MaxDequeueCount ({MaxDequeueCount}), not {TempErrorDeliveries}");
        }

        return errors;
    }
}
