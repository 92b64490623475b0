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

    /// <summary>
    /// A stream that gzips what is written to it into <paramref name="output"/>; disposing it writes the trailer.
    /// Lets a large report be compressed while it is written, without holding the XML in memory.
    /// </summary>
    public static Stream CreateWriter(Stream output) => new GzipWriter(output);

    /// <summary>Decompresses gzip data (for validation and tests).</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> gzip)
    {
        using var input = new MemoryStream(gzip.ToArray());
        using var unzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        unzip.CopyTo(output);
        return output.ToArray();
    }

    private sealed class GzipWriter : Stream
    {
        private readonly Stream _output;
        private readonly DeflateStream _deflate;
        private readonly Crc32 _crc = new();
        private long _length;
        private bool _disposed;

        public GzipWriter(Stream output)
        {
            _output = output;
            _output.Write(Header);
            _deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _crc.Append(buffer);
            _length += buffer.Length;
            _deflate.Write(buffer);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                _deflate.Dispose();
                Span<byte> trailer = stackalloc byte[8];
                _crc.GetCurrentHash(trailer[..4]);
                BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_length));
                _output.Write(trailer);
            }

            base.Dispose(disposing);
        }
    }
}
