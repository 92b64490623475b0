namespace DmarcCloud.Core.Rollout;

/// <summary>What the rollout advisor says to do.</summary>
public enum RolloutDecision
{
    /// <summary>No DMARC record: publish the starter record.</summary>
    Start,

    /// <summary>Publish the next step: it is a test with no effect on delivery, or the reports show it is safe.</summary>
    Advance,

    /// <summary>Stay: legitimate mail would be lost, or there is not enough data yet. Fix the listed sources first.</summary>
    Hold,

    /// <summary>At <c>p=reject</c>: nothing stricter to publish.</summary>
    Done,
}
