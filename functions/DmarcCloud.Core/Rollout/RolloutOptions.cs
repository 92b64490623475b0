namespace DmarcCloud.Core.Rollout;

/// <summary>The thresholds of the rollout advisor: when a source looks legitimate and when a domain is ready to enforce.</summary>
public sealed class RolloutOptions
{
    /// <summary>
    /// Enforcing is advised only when at most this share of legitimate-looking mail fails DMARC over the window.
    /// Default 0.005 (0.5%): about one message in two hundred from the domain's own senders would be lost.
    /// </summary>
    public double ReadyThreshold { get; init; } = 0.005;

    /// <summary>Enforcing is advised only with reports on at least this many distinct days in the window. Default 14.</summary>
    public int MinimumDaysWithData { get; init; } = 14;

    /// <summary>Enforcing is advised only when the window holds at least this many messages. Default 100.</summary>
    public long MinimumMessages { get; init; } = 100;

    /// <summary>A source seen on at least this many distinct days counts as sending steadily. Default 3.</summary>
    public int SteadyDays { get; init; } = 3;
}
