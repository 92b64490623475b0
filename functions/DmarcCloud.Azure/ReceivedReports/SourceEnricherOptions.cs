namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>Bounds of <see cref="SourceEnricher"/>: reverse DNS must never hold up ingest.</summary>
public sealed class SourceEnricherOptions
{
    /// <summary>Time allowed for one PTR lookup. Default 2 s.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time allowed for all lookups of one report; addresses left over are stored without a name. Default 15 s.</summary>
    public TimeSpan ReportBudget { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Lookups in flight at once. Default 16.</summary>
    public int Parallelism { get; set; } = 16;

    /// <summary>Addresses remembered (answers and failures); the cache is emptied when it is full. Default 100,000.</summary>
    public int CacheSize { get; set; } = 100_000;

    /// <summary>How long an answer is remembered. Default 24 h.</summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Consecutive temporary failures after which lookups pause (DNS outage). Default 20.</summary>
    public int FailuresBeforePause { get; set; } = 20;

    /// <summary>How long lookups pause after <see cref="FailuresBeforePause"/>. Default 2 min.</summary>
    public TimeSpan Pause { get; set; } = TimeSpan.FromMinutes(2);
}
