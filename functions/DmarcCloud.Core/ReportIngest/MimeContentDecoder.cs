using System.Buffers;
using MimeKit;
using MimeKit.Encodings;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Decodes a MIME part's content (RFC 2045 §6: base64, quoted-printable; uuencode) through pooled buffers. MimeKit's
/// <see cref="IMimeContent.Open"/> builds a filtered stream with buffers of its own (4.3 KB even for identity content),
/// which was most of the cost of a one-line mail in an mbox (docs/fuzzing.md).
/// </summary>
internal static class MimeContentDecoder
{
    private const int Chunk = 8 * 1024;

    /// <summary>
    /// Writes at most <paramref name="max"/> decoded bytes into <paramref name="destination"/>; returns false when the
    /// content holds more (what was decoded up to the limit is written).
    /// </summary>
    public static bool DecodeTo(IMimeContent content, Stream destination, long max)
    {
        var source = content.Stream;
        if (source is null)
        {
            return true;
        }

        if (source.CanSeek)
        {
            source.Position = 0;
        }

        IMimeDecoder? decoder = content.Encoding switch
        {
            ContentEncoding.Base64 => new Base64Decoder(),
            ContentEncoding.QuotedPrintable => new QuotedPrintableDecoder(),
            ContentEncoding.UUEncode => new UUDecoder(),
            _ => null,
        };
        var input = ArrayPool<byte>.Shared.Rent(Chunk);
        byte[]? output = null;
        try
        {
            long total = 0;
            int read;
            while ((read = source.Read(input, 0, Chunk)) > 0)
            {
                // The estimate grows with what a decoder holds over from the chunk before (quoted-printable: a split
                // "=XX"), so it is asked for each chunk.
                var need = decoder?.EstimateOutputLength(read) ?? 0;
                if (decoder is not null && (output is null || output.Length < need))
                {
                    if (output is not null)
                    {
                        ArrayPool<byte>.Shared.Return(output);
                    }

                    output = ArrayPool<byte>.Shared.Rent(need);
                }

                var (bytes, count) = decoder is null ? (input, read) : (output!, decoder.Decode(input, 0, read, output!));
                if (total + count > max)
                {
                    destination.Write(bytes, 0, (int)(max - total));
                    return false;
                }

                destination.Write(bytes, 0, count);
                total += count;
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }
}
