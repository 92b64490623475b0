using System.Globalization;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>
/// What the store keeps of one aggregate report's records, fed as the parser's record sink: the report's total (its
/// daily roll-up) and figures per source address. Memory grows with the distinct addresses, never with the records,
/// and is bounded by <see cref="MaxSources"/>: records of further addresses are summed under <see cref="OtherSources"/>
/// and <see cref="Warning"/> says so.
/// </summary>
public sealed class ReportAccumulator
{
    /// <summary>The pseudo source address under which the records beyond <see cref="MaxSources"/> are counted.</summary>
    public const string OtherSources = "(other sources)";

    private readonly Dictionary<string, ReportFigures> _sources = new(StringComparer.Ordinal);
    private ReportFigures? _other;
    private long _otherRecords;

    /// <summary>Creates an accumulator keeping at most <paramref name="maxSources"/> addresses apart.</summary>
    public ReportAccumulator(int maxSources = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSources, 1);
        MaxSources = maxSources;
    }

    /// <summary>Most distinct addresses kept apart.</summary>
    public int MaxSources { get; }

    /// <summary>The figures of every record added (the report's contribution to its day).</summary>
    public ReportFigures Total { get; } = new();

    /// <summary>Figures per source address, plus <see cref="OtherSources"/> when the limit was reached.</summary>
    public IReadOnlyDictionary<string, ReportFigures> Sources => _sources;

    /// <summary>How many distinct source rows the report yields (<see cref="Sources"/> entries).</summary>
    public int Count => _sources.Count;

    /// <summary>Why some addresses were not kept apart, or null.</summary>
    public string? Warning => _other is null
        ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"more than {MaxSources} distinct source addresses: {_otherRecords} record(s) ({_other.Messages} message(s)) of further addresses are counted under \"{OtherSources}\"");

    /// <summary>Adds one record (the parser's record sink).</summary>
    public void Add(AggregateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Total.Add(record);
        var ip = record.Row.SourceIp;
        if (!_sources.TryGetValue(ip, out var figures))
        {
            if (_sources.Count - (_other is null ? 0 : 1) >= MaxSources)
            {
                _otherRecords++;
                if (_other is null)
                {
                    _sources[OtherSources] = _other = new ReportFigures();
                }

                _other.Add(record);
                return;
            }

            _sources[ip] = figures = new ReportFigures();
        }

        figures.Add(record);
    }

    /// <summary>An accumulator filled from a report whose records were kept (<see cref="AggregateReport.Records"/>).</summary>
    public static ReportAccumulator Of(AggregateReport report, int maxSources = 100_000)
    {
        ArgumentNullException.ThrowIfNull(report);
        var accumulator = new ReportAccumulator(maxSources);
        foreach (var record in report.Records)
        {
            accumulator.Add(record);
        }

        return accumulator;
    }
}
