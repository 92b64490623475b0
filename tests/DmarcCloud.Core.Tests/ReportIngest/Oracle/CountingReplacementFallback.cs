using System.Text;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Core.Tests.ReportIngest.Oracle;

/// <summary>A decoder fallback that replaces each invalid byte sequence with U+FFFD and counts how often it did.</summary>
internal sealed class CountingReplacementFallback : DecoderFallback
{
    public int Count { get; private set; }

    public override int MaxCharCount => 1;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    private sealed class Buffer(CountingReplacementFallback owner) : DecoderFallbackBuffer
    {
        private int _remaining;

        public override int Remaining => _remaining;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            owner.Count++;
            _remaining = 1;
            return true;
        }

        public override char GetNextChar()
        {
            if (_remaining == 0)
            {
                return '\0';
            }

            _remaining--;
            return '\uFFFD';
        }

        public override bool MovePrevious()
        {
            if (_remaining != 0)
            {
                return false;
            }

            _remaining = 1;
            return true;
        }
    }
}
