namespace DmarcCloud.Core.Arc;

/// <summary>The outcome of validating a message's ARC chain.</summary>
/// <param name="Status">The chain validation status.</param>
/// <param name="Hops">Every hop found, oldest first (readable even when the chain fails).</param>
/// <param name="FailedInstance">The instance where validation failed, if it did.</param>
/// <param name="OldestPass">The lowest instance whose AMS still validates (RFC 8617 §5.2 "oldest-pass"), or null.</param>
/// <param name="Reason">Why the chain failed, in words.</param>
public sealed record ArcValidationResult(
    ArcChainStatus Status,
    IReadOnlyList<ArcHop> Hops,
    int? FailedInstance = null,
    int? OldestPass = null,
    string? Reason = null)
{
    /// <summary>
    /// The chain failed only because a key could not be fetched now (DNS timeout or SERVFAIL). <see cref="Status"/> is
    /// then <see cref="ArcChainStatus.Fail"/> (RFC 8617 §4.4 has no temperror for cv=), and a caller may retry later.
    /// </summary>
    public bool TemporaryFailure { get; init; }

    /// <summary>A message with no ARC headers.</summary>
    public static ArcValidationResult NoChain { get; } = new(ArcChainStatus.None, []);
}
