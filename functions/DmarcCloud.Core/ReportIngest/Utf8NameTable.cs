using System.Text;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// A fixed set of element names, looked up by their UTF-8 bytes: the tokenizer hands out the one string instance per
/// name, so the parser compares names by reference and allocates nothing for the names it knows. Read-only once
/// built (safe to share between threads); names not in the table are not added, so it never grows with the input.
/// </summary>
internal sealed class Utf8NameTable
{
    private const int BucketCount = 256;

    private readonly Entry?[] _buckets = new Entry?[BucketCount];

    public Utf8NameTable(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            if (Find(bytes) is null)
            {
                var bucket = Hash(bytes) & (BucketCount - 1);
                _buckets[bucket] = new Entry(bytes, name, _buckets[bucket]);
            }
        }
    }

    /// <summary>The table's instance of the name spelled by <paramref name="utf8"/>, or null when it is not in the table.</summary>
    public string? Find(ReadOnlySpan<byte> utf8) => Find(utf8, Hash(utf8))?.Name;

    /// <summary>The entry for <paramref name="utf8"/>, whose <see cref="Hash(ReadOnlySpan{byte})"/> is <paramref name="hash"/>.</summary>
    public Entry? Find(ReadOnlySpan<byte> utf8, int hash)
    {
        for (var entry = _buckets[hash & (BucketCount - 1)]; entry is not null; entry = entry.Next)
        {
            if (utf8.SequenceEqual(entry.Utf8))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The hash of a name: <c>h = h * 31 + byte</c> over its bytes (the tokenizer computes it while scanning), then folded.</summary>
    public static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = 0;
        foreach (var b in utf8)
        {
            hash = (hash * 31) + b;
        }

        return Fold(hash);
    }

    public static int Fold(int hash) => hash ^ (hash >> 8);

    /// <summary>One name: its bytes and its string.</summary>
    public sealed class Entry(byte[] utf8, string name, Entry? next)
    {
        public byte[] Utf8 { get; } = utf8;

        public string Name { get; } = name;

        public Entry? Next { get; } = next;
    }
}
