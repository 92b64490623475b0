using System.Text;

namespace DmarcCloud.Fuzz.Engine;

/// <summary>
/// The mutation engine: byte flips, interesting bytes, inserts, deletes, repeats, splices of two seeds, dictionary
/// tokens (once or repeated thousands of times), and the target's structural blow-ups. Deterministic for a seed.
/// </summary>
internal sealed class Mutator(FuzzTarget target, int seed)
{
    private static readonly byte[] Interesting = "\0\r\n\t \"\\<>()[]{};:,=@%.-_+/'\x7F\xFF\xC0\xE2\x80\xAE"u8.ToArray();

    private readonly Random _random = new(seed);
    private readonly byte[][] _dictionary = [.. target.Dictionary.Select(Encoding.UTF8.GetBytes)];

    public Random Random => _random;

    /// <summary>The next input: a seed with one to four mutations, or (one time in eight) a blow-up.</summary>
    public byte[] Next()
    {
        var seeds = target.Seeds;
        var data = seeds[_random.Next(seeds.Count)];
        if (target.BlowUps.Count > 0 && _random.Next(8) == 0)
        {
            var grown = target.BlowUps[_random.Next(target.BlowUps.Count)](_random, data);
            return grown.Length <= target.MaxBlowUpBytes ? grown : grown[..target.MaxBlowUpBytes];
        }

        var buffer = new List<byte>(data);
        var operations = 1 + _random.Next(4);
        for (var i = 0; i < operations; i++)
        {
            Mutate(buffer);
            if (buffer.Count > target.MaxInputBytes)
            {
                buffer.RemoveRange(target.MaxInputBytes, buffer.Count - target.MaxInputBytes);
            }
        }

        return [.. buffer];
    }

    private void Mutate(List<byte> b)
    {
        var at = b.Count == 0 ? 0 : _random.Next(b.Count + 1);
        switch (_random.Next(11))
        {
            case 0 when b.Count > 0:
                var flip = _random.Next(b.Count);
                b[flip] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when b.Count > 0:
                b[_random.Next(b.Count)] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 2:
                var bytes = new byte[1 + _random.Next(16)];
                _random.NextBytes(bytes);
                b.InsertRange(at, bytes);
                break;
            case 3 when b.Count > 0:
                var start = _random.Next(b.Count);
                b.RemoveRange(start, _random.Next(int.Min(b.Count - start, 64) + 1));
                break;
            case 4 when b.Count > 0:
            {
                // Repeat a chunk: grows a dimension (fields, tags, records) without a target-specific generator.
                var from = _random.Next(b.Count);
                var length = 1 + _random.Next(int.Min(b.Count - from, 128));
                var chunk = b.GetRange(from, length);
                var times = 1 + _random.Next(_random.Next(2) == 0 ? 8 : 2000);

                // As many copies as inserting one at a time while under MaxInputBytes would give, inserted at once
                // (one at a time moved the tail each time: seconds for a 256 KiB input).
                var copies = int.Min(times, int.Max(0, (target.MaxInputBytes - b.Count + length - 1) / length));
                var repeated = new byte[copies * length];
                for (var t = 0; t < copies; t++)
                {
                    chunk.CopyTo(repeated, t * length);
                }

                b.InsertRange(from, repeated);

                break;
            }

            case 5:
            {
                // Splice: this input's head with another seed's tail.
                var other = target.Seeds[_random.Next(target.Seeds.Count)];
                var cut = other.Length == 0 ? 0 : _random.Next(other.Length);
                b.RemoveRange(at, b.Count - at);
                b.AddRange(other.AsSpan(cut).ToArray());
                break;
            }

            case 6 or 7 when _dictionary.Length > 0:
                b.InsertRange(at, _dictionary[_random.Next(_dictionary.Length)]);
                break;
            case 8 when _dictionary.Length > 0:
            {
                var token = _dictionary[_random.Next(_dictionary.Length)];
                var times = 1 + _random.Next(10_000);
                var repeated = new List<byte>(token.Length * times);
                for (var t = 0; t < times && repeated.Count < target.MaxInputBytes; t++)
                {
                    repeated.AddRange(token);
                }

                b.InsertRange(at, repeated);
                break;
            }

            case 9 when b.Count > 1:
            {
                // Truncate.
                var keep = _random.Next(b.Count);
                b.RemoveRange(keep, b.Count - keep);
                break;
            }

            default:
                b.Insert(at, Interesting[_random.Next(Interesting.Length)]);
                break;
        }
    }
}
