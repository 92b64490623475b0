namespace DmarcCloud.Azure.Storage;

/// <summary>Settings of <see cref="TableVerdictStore"/> (configuration section <c>VerdictStore</c>).</summary>
public sealed class VerdictStoreOptions
{
    /// <summary>The verdict table.</summary>
    public string TableName { get; set; } = ResourceNames.VerdictsTable;

    /// <summary>The per-day index of policy domains.</summary>
    public string DomainIndexTableName { get; set; } = ResourceNames.VerdictDomainsTable;

    /// <summary>Partitions per (day, policy domain) unless listed in <see cref="HotDomains"/>; 1 = no sharding.</summary>
    /// <remarks>One partition takes about 2,000 entities/s: shard a domain expected to exceed that.</remarks>
    public int ShardCount { get; set; } = 1;

    /// <summary>Shard counts for very hot policy domains (lower-case domain → partitions per day), at most 100.</summary>
    public Dictionary<string, int> HotDomains { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The shard count used for <paramref name="policyDomain"/>.</summary>
    public int ShardsFor(string policyDomain) =>
        Math.Clamp(HotDomains.TryGetValue(policyDomain, out var shards) ? shards : ShardCount, 1, 100);
}
