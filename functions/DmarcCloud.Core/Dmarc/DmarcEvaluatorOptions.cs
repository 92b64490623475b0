namespace DmarcCloud.Core.Dmarc;

/// <summary>Settings of <see cref="DmarcEvaluator"/>.</summary>
public sealed class DmarcEvaluatorOptions
{
    /// <summary>How policies and organizational domains are found (default: the RFC 9989 tree walk).</summary>
    public DiscoveryMethod DiscoveryMethod { get; set; } = DiscoveryMethod.TreeWalk;

    /// <summary>The Public Suffix List for <see cref="DiscoveryMethod.Psl"/> (default: the embedded snapshot).</summary>
    public PublicSuffixList? PublicSuffixList { get; set; }

    /// <summary>
    /// The random source for RFC 7489 <c>pct</c> sampling (PSL mode only): a message is subject to the policy when
    /// <c>Next(100) &lt; pct</c>. Inject a seeded instance for reproducible runs; default <see cref="Random.Shared"/>.
    /// </summary>
    public Random? SamplingRandom { get; set; }

    /// <summary>The receiver's local policy exceptions.</summary>
    public DmarcLocalPolicy LocalPolicy { get; set; } = new();
}
