using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Gzip (RFC 1952) with a fixed header: no file name, MTIME 0 and OS 255 (unknown), so the same XML always
/// compresses to the same bytes on any machine and a resent report is byte-identical.
/// </summary>
public static class DeterministicGzip
{
    private static readonly byte[] Header = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF];

    /// <summary>Compresses <paramref name="data"/>.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length / 8 + 64);
        output.Write(Header);
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        Span<byte> trailer = stackalloc byte[8];
        Crc32.Hash(data, trailer[..4]); // written little-endian, as gzip wants
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)data.Length));

        output.Write(trailer);
        return output.ToArray();
    }

    /// <summary>Decompresses gzip data (for validation and tests).</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> gzip)
    {
        using var input = new MemoryStream(gzip.ToArray());
        using var unzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        unzip.CopyTo(output);
        return output.ToArray();
    }
}
