namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Wraps a decompressing stream and refuses to produce more than a limit, more than a ratio of the compressed bytes
/// consumed, or anything after a deadline: a decompression bomb is stopped after at most the limit, in bounded memory.
/// </summary>
internal sealed class BoundedStream(Stream inner, ReportIngestOptions options, Func<long> compressedBytes, long deadlineTimestamp, string what) : Stream
{
    private long _produced;

    public long Produced => _produced;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _produced; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (options.TimeProvider.GetTimestamp() > deadlineTimestamp)
        {
            throw new ReportRejectedException($"reading took longer than the {options.TimeLimit.TotalSeconds:0} s limit");
        }

        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw new ReportRejectedException($"{what} is corrupt: {ex.Message}");
        }

        _produced += read;
        if (_produced > options.MaxDecompressedBytes)
        {
            throw new ReportRejectedException($"{what} decompresses to more than {options.MaxDecompressedBytes} bytes");
        }

        if (_produced > options.CompressionRatioFloorBytes && _produced / Math.Max(1, compressedBytes()) > options.MaxCompressionRatio)
        {
            throw new ReportRejectedException($"{what} expands more than {options.MaxCompressionRatio}:1 (a decompression bomb)");
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
