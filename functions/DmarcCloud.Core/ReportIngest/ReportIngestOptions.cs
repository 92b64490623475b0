namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Limits applied to every received report before and while it is read. Each limit is checked before the work it
/// protects (entry counts before decompression, sizes while streaming), so a hostile file costs at most these.
/// </summary>
/// <remarks>
/// RFC 7489 §12.3 and RFC 9990 §5 warn that reports are attacker-supplied input. The defaults admit the largest real
/// reports seen (a few hundred thousand records from large receivers) and refuse decompression bombs early.
/// </remarks>
public sealed record ReportIngestOptions
{
    /// <summary>The default limits.</summary>
    public static ReportIngestOptions Default { get; } = new();

    /// <summary>Largest input file (compressed, mail or mbox) read at all. Default 64 MiB.</summary>
    public long MaxInputBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest decompressed size of one report (XML after gzip/zip). Default 1 GiB: read streaming, never held in memory.</summary>
    public long MaxDecompressedBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Largest ratio of decompressed to compressed bytes, checked once <see cref="CompressionRatioFloorBytes"/> have
    /// been produced. Real reports compress 10–60:1; gzip's theoretical maximum is about 1032:1. Default 300.
    /// </summary>
    public int MaxCompressionRatio { get; init; } = 300;

    /// <summary>Decompressed bytes below which the ratio is not checked (tiny files compress oddly). Default 4 MiB.</summary>
    public long CompressionRatioFloorBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Most entries a zip archive may list (read from its end-of-central-directory record before anything else). Default 64.</summary>
    public int MaxArchiveEntries { get; init; } = 64;

    /// <summary>Most reports taken from one mail (attachments) or one archive. Default 64.</summary>
    public int MaxReportsPerContainer { get; init; } = 64;

    /// <summary>Most messages read from one mbox file. Default 100,000.</summary>
    public int MaxMessagesPerMbox { get; init; } = 100_000;

    /// <summary>Deepest XML element nesting accepted (a report needs 6). Default 32.</summary>
    public int MaxXmlDepth { get; init; } = 32;

    /// <summary>Most <c>record</c> elements in one aggregate report. Default 5,000,000.</summary>
    public long MaxRecords { get; init; } = 5_000_000;

    /// <summary>
    /// Most distinct source addresses of one aggregate report given their own figures when it is stored; records of
    /// further addresses are counted together under "(other sources)", and the report gets a warning saying how many
    /// records and messages that bucket holds (never dropped). Bounds the memory of storing a report (≈ 200 bytes per
    /// address). Default 100,000.
    /// </summary>
    public int MaxSourcesPerReport { get; init; } = 100_000;

    /// <summary>Longest text of one XML element, in characters. Default 64 Ki characters.</summary>
    public int MaxTextLength { get; init; } = 64 * 1024;

    /// <summary>Most warnings kept per report (further ones are counted, not kept). Default 100.</summary>
    public int MaxWarnings { get; init; } = 100;

    /// <summary>Wall-clock budget for reading one input file. Default 120 s.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The clock the time limit is measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
