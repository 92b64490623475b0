namespace DmarcCloud.Azure.Messaging;

/// <summary>Settings of <see cref="ServiceBusDrain"/> (configuration section <c>ServiceBusDrain</c>).</summary>
public sealed class ServiceBusDrainOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ServiceBusDrain";

    /// <summary>Messages handled at once (1–256). Default 16: report work is mostly I/O wait.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// How long one drain run keeps receiving new messages (then it finishes the ones in hand and settles them).
    /// Default 4 min: under the 10-minute function timeout and under the queues' 5-minute lock.
    /// </summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>How long one receive call waits for messages; an empty receive ends the run. Default 5 s.</summary>
    public TimeSpan ReceiveWaitTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The reasons these settings are unusable; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConcurrency is < 1 or > 256)
        {
            errors.Add($"{SectionName}:MaxConcurrency must be 1–256, not {MaxConcurrency}");
        }

        if (TimeBudget <= TimeSpan.Zero || TimeBudget > TimeSpan.FromMinutes(9))
        {
            errors.Add($"{SectionName}:TimeBudget must be above zero and at most 00:09:00 (the function timeout is 10 min), not {TimeBudget}");
        }

        if (ReceiveWaitTime <= TimeSpan.Zero || ReceiveWaitTime > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{SectionName}:ReceiveWaitTime must be above zero and at most 00:01:00, not {ReceiveWaitTime}");
        }

        return errors;
    }
}
