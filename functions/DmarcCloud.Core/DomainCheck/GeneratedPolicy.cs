namespace DmarcCloud.Core.DomainCheck;

/// <summary>The DMARC record to publish now, with every other record it needs and why.</summary>
/// <param name="From">The stage the domain is at.</param>
/// <param name="To">The stage the records take it to.</param>
/// <param name="Records">What to publish: the <c>_dmarc</c> record first, then any authorization record for an outside report mailbox.</param>
/// <param name="Explanation">What the records do at receivers, in one or two sentences.</param>
/// <param name="PctRamp">
/// For receivers that still follow RFC 7489: the <c>pct</c> ramp records toward <paramref name="To"/>'s policy, in order.
/// RFC 9989 receivers ignore <c>pct</c> and apply the whole policy, so each of these is the full policy for them.
/// </param>
public sealed record GeneratedPolicy(
    RolloutStage From,
    RolloutStage To,
    IReadOnlyList<RecordFix> Records,
    string Explanation,
    IReadOnlyList<RecordFix> PctRamp)
{
    /// <summary>The <c>_dmarc</c> record text to publish.</summary>
    public string DmarcRecord => Records[0].Value;
}
