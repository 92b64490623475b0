namespace DmarcCloud.Core.Compression;

/// <summary>Why a <see cref="BoundedDecompressionStream"/> stopped.</summary>
internal enum DecompressionFault
{
    /// <summary>The compressed data is invalid (the decompressor's <see cref="InvalidDataException"/>).</summary>
    Corrupt,

    /// <summary>The decompressor failed to read (an <see cref="IOException"/>; only with <see cref="DecompressionBounds.RefuseUnreadableData"/>).</summary>
    Unreadable,

    /// <summary>More than <see cref="DecompressionBounds.MaxBytes"/> came out.</summary>
    TooLarge,

    /// <summary>Output divided by the compressed bytes passed <see cref="DecompressionBounds.MaxRatio"/>.</summary>
    TooExpanded,

    /// <summary><see cref="DecompressionBounds.Expired"/> said the time is up.</summary>
    TooSlow,
}

/// <summary>The limits of a <see cref="BoundedDecompressionStream"/> and how a fault becomes the caller's exception.</summary>
/// <param name="MaxBytes">Most bytes the stream may produce.</param>
/// <param name="MaxRatio">Most bytes produced per compressed byte, checked once more than <paramref name="RatioCheckAfterBytes"/> came out
/// (small files of repetitive XML compress far better than a report's average).</param>
/// <param name="RatioCheckAfterBytes">Output below which the ratio is not checked.</param>
/// <param name="Refuse">The exception to throw for a fault (the decompressor's own exception, if any, is given).</param>
internal sealed record DecompressionBounds(long MaxBytes, long MaxRatio, long RatioCheckAfterBytes, Func<DecompressionFault, Exception?, Exception> Refuse)
{
    /// <summary>Checked before each read: true stops the stream with <see cref="DecompressionFault.TooSlow"/>.</summary>
    public Func<bool>? Expired { get; init; }

    /// <summary>
    /// Whether an <see cref="IOException"/> from the decompressor is a fault of the data (input held in memory) rather than
    /// of the source, which callers reading from a network or disk want to see as it is (it may be transient).
    /// </summary>
    public bool RefuseUnreadableData { get; init; }
}

/// <summary>
/// A read-only stream over a decompressor that counts what it produced and stops at a size limit, a ratio of the compressed
/// bytes consumed, and a deadline: a decompression bomb is stopped after at most the limit, in the memory of one read. One
/// implementation for the report validator (<see cref="Reporting.ReportDecompressor"/>) and report intake
/// (<see cref="ReportIngest.ReceivedReportReader"/>), which word their refusals differently.
/// </summary>
internal sealed class BoundedDecompressionStream(Stream inner, DecompressionBounds bounds, Func<long> compressedBytes, IDisposable? owner = null) : Stream
{
    private long _produced;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (bounds.Expired?.Invoke() == true)
        {
            throw bounds.Refuse(DecompressionFault.TooSlow, null);
        }

        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw bounds.Refuse(DecompressionFault.Corrupt, ex);
        }
        catch (IOException ex) when (bounds.RefuseUnreadableData)
        {
            throw bounds.Refuse(DecompressionFault.Unreadable, ex);
        }

        _produced += read;
        if (_produced > bounds.MaxBytes)
        {
            throw bounds.Refuse(DecompressionFault.TooLarge, null);
        }

        if (_produced > bounds.RatioCheckAfterBytes && _produced / Math.Max(1, compressedBytes()) > bounds.MaxRatio)
        {
            throw bounds.Refuse(DecompressionFault.TooExpanded, null);
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
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }
}
