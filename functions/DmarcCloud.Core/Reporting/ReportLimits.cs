namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Limits on an aggregate report file checked while it is read, before (or while) the XML is parsed: a report
/// over one is refused with the limit named in the reason (docs/limits.md).
/// </summary>
/// <remarks>
/// RFC 7489 §7.2.1.1 and RFC 9990 §2.5 (reports are sent gzip-compressed, or zip in RFC 7489). Decompression is
/// streamed and stops at the size and ratio limits, so a compression bomb costs at most
/// <see cref="MaxDecompressedBytes"/> of memory; XML depth and node count stop deep or huge documents before
/// the schema validator does per-node work on them.
/// </remarks>
public sealed class ReportLimits
{
    /// <summary>The defaults.</summary>
    public static ReportLimits Default { get; } = new();

    /// <summary>The report file as given (compressed or not), in bytes: 32 MiB.</summary>
    public int MaxFileBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>The XML after decompression, in bytes: 64 MiB.</summary>
    public int MaxDecompressedBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Decompressed size divided by compressed size: 200 (reports compress 10-30 times). Checked once the output
    /// passes <see cref="RatioCheckAfterBytes"/>, so that small files of repetitive XML pass.
    /// </summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Decompressed bytes after which the ratio is checked: 1 MiB.</summary>
    public int RatioCheckAfterBytes { get; init; } = 1024 * 1024;

    /// <summary>Entries in a zip file: 1 (a report is one XML file).</summary>
    public int MaxZipEntries { get; init; } = 1;

    /// <summary>XML element nesting depth: 32 (the report schemas nest 5 deep).</summary>
    public int MaxXmlDepth { get; init; } = 32;

    /// <summary>XML nodes (elements, text, attributes not counted): 4,000,000.</summary>
    public int MaxXmlNodes { get; init; } = 4_000_000;

    /// <summary>
    /// Characters in a namespace URI: 1,024 (the report schemas' are 33 and 30). The schema validator copies an
    /// element's namespace into every warning about it, so a long one declared once would cost its length per warning.
    /// </summary>
    public int MaxNamespaceUriLength { get; init; } = 1024;

    /// <summary>Errors kept per schema: 100 (the rest are counted in one last line).</summary>
    public int MaxErrors { get; init; } = 100;
}
