using System.Globalization;
using System.IO.Compression;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Turns a report file (XML, gzip or zip, by magic bytes) into its XML bytes, streaming the decompression and
/// stopping at <see cref="ReportLimits"/>: a bomb never inflates past the limits, a corrupt file is refused.
/// </summary>
/// <remarks>RFC 7489 §7.2.1.1 (gzip or zip), RFC 9990 §2.5 (gzip); RFC 1952 (gzip magic 1F 8B), zip magic "PK\x03\x04".</remarks>
internal static class ReportDecompressor
{
    /// <summary>The XML bytes, or null and why the file is refused.</summary>
    public static (ArraySegment<byte>? Xml, string? Refused) Decompress(ReadOnlySpan<byte> file, ReportLimits limits)
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
        try
        {
            if (file.Length > 2 && file[0] == 0x1F && file[1] == 0x8B)
            {
                using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
                return Inflate(gzip, compressed.Length, limits);
            }

            if (file.Length > 4 && file[0] == (byte)'P' && file[1] == (byte)'K' && file[2] == 3 && file[3] == 4)
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

                using var entry = zip.Entries[0].Open();
                return Inflate(entry, compressed.Length, limits);
            }
        }
        catch (InvalidDataException ex)
        {
            return (null, $"report refused: the compressed data is corrupt ({ex.Message})");
        }
        catch (IOException ex)
        {
            return (null, $"report refused: the compressed data cannot be read ({ex.Message})");
        }

        return (new ArraySegment<byte>(compressed), null);
    }

    private static (ArraySegment<byte>? Xml, string? Refused) Inflate(Stream source, int compressedLength, ReportLimits limits)
    {
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > limits.MaxDecompressedBytes)
            {
                return (null, Refused($"it decompresses to over {limits.MaxDecompressedBytes} bytes", limits.MaxDecompressedBytes, nameof(ReportLimits.MaxDecompressedBytes)));
            }

            output.Write(buffer, 0, read);
            if (output.Length > limits.RatioCheckAfterBytes && output.Length / compressedLength > limits.MaxCompressionRatio)
            {
                return (null, Refused($"it decompresses over {limits.MaxCompressionRatio} times its size", limits.MaxCompressionRatio, nameof(ReportLimits.MaxCompressionRatio)));
            }
        }

        return (new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length), null);
    }

    private static string Refused(string what, int limit, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"report refused: {what}, over the limit of {limit} ({name}, docs/limits.md)");
}
