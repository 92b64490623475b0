namespace DmarcCloud.Core.ReportIngest;

/// <summary>Warnings of one report: each distinct text once, at most a configured number, the rest counted.</summary>
internal sealed class WarningList(int max)
{
    private readonly List<string> _items = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _dropped;

    public void Add(string warning)
    {
        if (!_seen.Add(warning))
        {
            return;
        }

        if (_items.Count < max)
        {
            _items.Add(warning);
        }
        else
        {
            _dropped++;
        }
    }

    public IReadOnlyList<string> ToList() =>
        _dropped == 0 ? _items.ToArray() : [.. _items, $"{_dropped} further warning(s) not kept"];
}
