using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>
/// One <see cref="ReportAccumulator"/> per aggregate report of an input, by the report's origin in the input: hand
/// <see cref="For"/> to <see cref="ReceivedReportReader"/> as its record-sink factory, then store each report with
/// <see cref="Of"/>. The accumulator of a report that was rejected part-way is simply never asked for.
/// </summary>
public sealed class ReportAccumulators
{
    private readonly Dictionary<string, ReportAccumulator> _byOrigin = new(StringComparer.Ordinal);
    private readonly int _maxSources;

    /// <summary>Creates the set; each report keeps at most <paramref name="maxSources"/> source addresses apart.</summary>
    public ReportAccumulators(int maxSources) => _maxSources = maxSources;

    /// <summary>The record sink of the report found at <paramref name="origin"/> (a fresh accumulator).</summary>
    public Action<AggregateRecord> For(string origin)
    {
        var accumulator = new ReportAccumulator(_maxSources);
        _byOrigin[origin] = accumulator;
        return accumulator.Add;
    }

    /// <summary>The accumulated figures of the report found at <paramref name="origin"/>, or null when none was read there.</summary>
    public ReportAccumulator? Of(string origin) => _byOrigin.GetValueOrDefault(origin);
}
