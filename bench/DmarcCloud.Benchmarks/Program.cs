using BenchmarkDotNet.Running;
using DmarcCloud.Benchmarks;

if (args is ["generate-dkim-corpus"])
{
    DkimCorpus.Generate();
    Console.WriteLine($"DKIM corpus written to {DkimCorpus.Directory}");
    return 0;
}

if (args is ["aggregate-report", var countText])
{
    // Whole-process measurement (scripts/bench-report.sh runs this under /usr/bin/time -v).
    return await AggregateReportWorkload.RunAsync(int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
