using BenchmarkDotNet.Attributes;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Benchmarks;

/// <summary>Aggregate report build (group + XML + gzip) for one domain-day; see docs/benchmarks.md.</summary>
[MemoryDiagnoser]
public class AggregateReportBenchmarks
{
    [Params(100_000, 1_000_000)]
    public int Verdicts { get; set; }

    [Benchmark]
    public async Task<int> BuildReport()
    {
        var contents = await new AggregateReportBuilder().BuildAsync(AggregateReportWorkload.Verdicts(Verdicts), AggregateReportWorkload.Day).ConfigureAwait(false);
        var packager = new AggregateReportPackager(AggregateReportWorkload.Organization, AggregateReportFormat.Rfc9990);
        return contents.Sum(c => packager.Package(c).Count);
    }
}
