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
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        for (var entry = _buckets[Hash(utf8) & (BucketCount - 1)]; entry is not null; entry = entry.Next)
        {
            if (utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Name;
            }
        }

        return null;
    }

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = utf8.Length;
        foreach (var b in utf8)
        {
            hash = (hash * 31) + b;
        }

        return hash ^ (hash >> 8);
    }

    private sealed record Entry(byte[] Utf8, string Name, Entry? Next);
}
