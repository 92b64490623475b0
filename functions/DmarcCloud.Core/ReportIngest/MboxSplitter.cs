namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Splits an mbox into its mails in one linear pass: a mail starts after a line beginning with <c>From </c> and ends
/// where the next such line begins. No copy, no allocation: each mail is an offset and a length in the buffer.
/// </summary>
/// <remarks>
/// RFC 4155 §2 (the mbox database format: each message is preceded by a "From " separator line; a body line starting
/// with "From " is escaped by the writer, e.g. as <c>&gt;From </c>). Byte order marks and white space before the first
/// separator are skipped, as <see cref="ReceivedReportReader"/> skips them when deciding the input is an mbox.
/// </remarks>
internal readonly struct MboxSplitter(ReadOnlyMemory<byte> mbox)
{
    public Enumerator GetEnumerator() => new(mbox);

    /// <summary>One mail: its bytes after the separator line, up to the next separator line.</summary>
    internal readonly record struct Mail(int Start, int Length);

    internal struct Enumerator
    {
        private readonly ReadOnlyMemory<byte> _mbox;
        private int _position;

        public Enumerator(ReadOnlyMemory<byte> mbox)
        {
            _mbox = mbox;
            var span = mbox.Span;
            var start = 0;
            while (span.Length - start >= 3 && span[start] == 0xEF && span[start + 1] == 0xBB && span[start + 2] == 0xBF)
            {
                start += 3;
            }

            while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                start++;
            }

            // Before the first separator there is no mail (the input was sniffed as an mbox: it starts with one).
            _position = IsSeparator(span, start) ? start : NextSeparator(span, start);
        }

        public Mail Current { get; private set; }

        public bool MoveNext()
        {
            var span = _mbox.Span;
            if (_position >= span.Length)
            {
                return false;
            }

            var newline = span[_position..].IndexOf((byte)'\n');
            var start = newline < 0 ? span.Length : _position + newline + 1;
            var next = NextSeparator(span, start);
            Current = new Mail(start, next - start);
            _position = next;
            return true;
        }

        private static bool IsSeparator(ReadOnlySpan<byte> span, int at) => span[at..].StartsWith("From "u8);

        /// <summary>The start of the next line beginning with "From " at or after <paramref name="from"/> (a line start), or the end.</summary>
        private static int NextSeparator(ReadOnlySpan<byte> span, int from)
        {
            var position = from;
            while (position < span.Length)
            {
                if (IsSeparator(span, position))
                {
                    return position;
                }

                var found = span[position..].IndexOf("\nFrom "u8);
                if (found < 0)
                {
                    return span.Length;
                }

                position += found + 1;
            }

            return span.Length;
        }
    }
}
