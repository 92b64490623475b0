using System.Globalization;
using System.IO.Compression;
using DmarcCloud.Core.Compression;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Opens a report file (XML, gzip or zip, by magic bytes) as a stream of its XML bytes, decompressing as it is read
/// and stopping at <see cref="ReportLimits"/>: a bomb never inflates past the limits, a corrupt file is refused, and
/// the XML is never held whole (the validator reads it once per schema, in constant memory).
/// </summary>
/// <remarks>RFC 7489 §7.2.1.1 (gzip or zip), RFC 9990 §2.5 (gzip); RFC 1952 (gzip magic 1F 8B), zip magic "PK\x03\x04".</remarks>
internal static class ReportDecompressor
{
    /// <summary>
    /// A way to open the XML of <paramref name="file"/> (each call starts a new decompression), or null and why the file
    /// is refused. Reading the stream past a limit, or corrupt compressed data, throws <see cref="ReportRefusedException"/>.
    /// </summary>
    public static (Func<Stream>? Open, string? Refused) Prepare(ReadOnlySpan<byte> file, ReportLimits limits)
    {
        if (file.Length > limits.MaxFileBytes)
        {
            return (null, Refused($"the file is {file.Length} bytes", limits.MaxFileBytes, nameof(ReportLimits.MaxFileBytes)));
        }

        if (file.Length == 0)
        {
            return (null, "report refused: the file is empty");
        }

        var compressed = file.ToArray();
        if (file.Length > 2 && file[0] == 0x1F && file[1] == 0x8B)
        {
            return Checked(() => Inflating(new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress), compressed.Length, limits));
        }

        if (file.Length > 4 && file[0] == (byte)'P' && file[1] == (byte)'K' && file[2] == 3 && file[3] == 4)
        {
            try
            {
                using var zip = new ZipArchive(new MemoryStream(compressed, writable: false), ZipArchiveMode.Read);
                if (zip.Entries.Count > limits.MaxZipEntries)
                {
                    return (null, Refused($"the zip holds {zip.Entries.Count} entries", limits.MaxZipEntries, nameof(ReportLimits.MaxZipEntries)));
                }

                if (zip.Entries.Count == 0)
                {
                    return (null, "report refused: the zip holds no entry");
                }
            }
            catch (InvalidDataException ex)
            {
                return (null, $"report refused: the compressed data is corrupt ({ex.Message})");
            }

            return Checked(() =>
            {
                try
                {
                    var zip = new ZipArchive(new MemoryStream(compressed, writable: false), ZipArchiveMode.Read);
                    return Inflating(zip.Entries[0].Open(), compressed.Length, limits, zip);
                }
                catch (InvalidDataException ex)
                {
                    throw new ReportRefusedException($"report refused: the compressed data is corrupt ({ex.Message})");
                }
            });
        }

        return (() => new MemoryStream(compressed, writable: false), null);
    }

    /// <summary>
    /// Decompresses once into a scratch buffer, keeping nothing, so that a corrupt file or one over the size or ratio
    /// limit is refused before any XML is parsed (the cost: one more decompression, no memory).
    /// </summary>
    private static (Func<Stream>? Open, string? Refused) Checked(Func<Stream> open)
    {
        try
        {
            using var stream = open();
            var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                while (stream.Read(scratch, 0, scratch.Length) > 0)
                {
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            }

            return (open, null);
        }
        catch (ReportRefusedException ex)
        {
            return (null, ex.Message);
        }
    }

    private static string Refused(string what, int limit, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"report refused: {what}, over the limit of {limit} ({name}, docs/limits.md)");

    /// <summary>Why a report file is refused, found while it was read.</summary>
    internal sealed class ReportRefusedException(string reason) : Exception(reason);

    /// <summary>A read-only stream over a decompressor that stops at the size and ratio limits (<see cref="BoundedDecompressionStream"/>).</summary>
    private static BoundedDecompressionStream Inflating(Stream inner, int compressedLength, ReportLimits limits, IDisposable? owner = null) =>
        new(
            inner,
            new DecompressionBounds(limits.MaxDecompressedBytes, limits.MaxCompressionRatio, limits.RatioCheckAfterBytes, (fault, ex) => new ReportRefusedException(fault switch
            {
                DecompressionFault.TooLarge => Refused($"it decompresses to over {limits.MaxDecompressedBytes} bytes", limits.MaxDecompressedBytes, nameof(ReportLimits.MaxDecompressedBytes)),
                DecompressionFault.TooExpanded => Refused($"it decompresses over {limits.MaxCompressionRatio} times its size", limits.MaxCompressionRatio, nameof(ReportLimits.MaxCompressionRatio)),
                DecompressionFault.Unreadable => $"report refused: the compressed data cannot be read ({ex?.Message})",
                _ => $"report refused: the compressed data is corrupt ({ex?.Message})",
            }))
            {
                RefuseUnreadableData = true, // the file is in memory: an IOException can only be the data's
            },
            () => compressedLength,
            owner);
}
