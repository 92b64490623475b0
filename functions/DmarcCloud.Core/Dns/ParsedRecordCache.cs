using Microsoft.Extensions.Caching.Memory;

namespace DmarcCloud.Core.Dns;

/// <summary>
/// A bounded, concurrent cache of values computed from a DNS record's text (a parsed SPF record, a parsed and
/// imported DKIM key). The value is a pure function of the text, so a hit can never be stale; entries expire only
/// to bound memory.
/// </summary>
/// <remarks>
/// Built on <see cref="MemoryCache"/> with a size limit of <c>capacity</c> entries (each entry counts 1): reads take
/// no lock; when the limit is reached new values are still returned but not stored, and the cache compacts itself
/// (least recently used first) in the background. A capacity of 0 or less turns caching off.
/// </remarks>
internal sealed class ParsedRecordCache<TValue>
    where TValue : class
{
    private readonly MemoryCache? _cache;
    private readonly Func<string, TValue> _create;

    public ParsedRecordCache(int capacity, Func<string, TValue> create)
    {
        _create = create;
        _cache = capacity > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity, CompactionPercentage = 0.25 }) : null;
    }

    /// <summary>The value for <paramref name="text"/>, computed and stored on a miss.</summary>
    public TValue Get(string text)
    {
        if (_cache is null)
        {
            return _create(text);
        }

        if (_cache.TryGetValue(text, out var found) && found is TValue hit)
        {
            return hit;
        }

        var value = _create(text);
        using (var entry = _cache.CreateEntry(text))
        {
            entry.Size = 1;
            entry.Value = value;
        }

        return value;
    }
}
