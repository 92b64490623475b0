using DmarcCloud.Core.Compression;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Report intake's bounds on a decompressing stream (<see cref="ReportIngestOptions"/>): refuses to produce more than
/// <see cref="ReportIngestOptions.MaxDecompressedBytes"/>, more than <see cref="ReportIngestOptions.MaxCompressionRatio"/>
/// times the compressed bytes consumed, or anything after the deadline, each as a <see cref="ReportRejectedException"/>.
/// </summary>
internal static class BoundedStream
{
    /// <summary>Wraps <paramref name="inner"/>; <paramref name="what"/> names the stream in the reasons ("report.xml.gz (gzip)").</summary>
    public static Stream Create(Stream inner, ReportIngestOptions options, Func<long> compressedBytes, long deadlineTimestamp, string what) =>
        new BoundedDecompressionStream(
            inner,
            new DecompressionBounds(options.MaxDecompressedBytes, options.MaxCompressionRatio, options.CompressionRatioFloorBytes, (fault, ex) => new ReportRejectedException(fault switch
            {
                DecompressionFault.TooSlow => $"reading took longer than the {options.TimeLimit.TotalSeconds:0} s limit",
                DecompressionFault.TooLarge => $"{what} decompresses to more than {options.MaxDecompressedBytes} bytes",
                DecompressionFault.TooExpanded => $"{what} expands more than {options.MaxCompressionRatio}:1 (a decompression bomb)",
                _ => $"{what} is corrupt: {ex?.Message}",
            }))
            {
                Expired = () => options.TimeProvider.GetTimestamp() > deadlineTimestamp,
            },
            compressedBytes);
}
