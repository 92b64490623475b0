using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using DmarcCloud.Benchmarks;

if (args is ["generate-dkim-corpus"])
{
    DkimCorpus.Generate();
    Console.WriteLine($"DKIM corpus written to {DkimCorpus.Directory}");
    return 0;
}

if (args is ["alloc-probe", var probeFile])
{
    AllocProbe.Run(probeFile);
    return 0;
}

if (args is ["generate-evaluate-corpus"])
{
    EvaluateCorpus.Generate();
    Console.WriteLine($"Evaluation corpus written to {EvaluateCorpus.Directory}");
    return 0;
}

if (args is ["evaluate-worker"])
{
    // Driven over stdin/stdout by scripts/bench-evaluate.mjs (interleaved with mailauth).
    return await EvaluateWorker.RunAsync();
}

if (args is ["evaluate-loop", var loopFile, var loopSeconds])
{
    // One message in a loop on one thread, for a profiler: dotnet-trace collect -- dotnet <dll> evaluate-loop FILE SECONDS
    return await EvaluateWorker.LoopAsync(loopFile, double.Parse(loopSeconds, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["aggregate-report", var countText])
{
    // Whole-process measurement (scripts/bench-report.sh runs this under /usr/bin/time -v).
    return await AggregateReportWorkload.RunAsync(int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["ingest-generate", var ingestCount, var ingestFile, ..] && args.Length <= 4)
{
    // Received-report intake (scripts/bench-ingest.sh): the report is generated on the fly, never committed.
    // Optional 4th argument: distinct source addresses (default a quarter of the records; "all" = one per record).
    var records = long.Parse(ingestCount, System.Globalization.CultureInfo.InvariantCulture);
    long? sources = args.Length == 4 ? (args[3] == "all" ? records : long.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)) : null;
    return IngestWorkload.Generate(records, ingestFile, sources);
}

if (args is ["ingest-parse", var parseFile, ..] && args.Length <= 3)
{
    return IngestWorkload.Parse(parseFile, args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
}

if (args is ["ingest-profile", var profileFile])
{
    return IngestWorkload.Profile(profileFile);
}

if (args is ["ingest-read", var readFile])
{
    return IngestWorkload.Read(readFile);
}

if (args is ["ingest-generate-mail", var mailReport, var mailFile])
{
    return IngestWorkload.GenerateMail(mailReport, mailFile);
}

if (args is ["ingest-door", var doorFile, var doorConnection, var door and ("upload" or "mail")])
{
    return await IngestWorkload.DoorAsync(doorFile, doorConnection, door);
}

if (args is ["ingest-store", var storeFile, var storeConnection])
{
    return await IngestWorkload.StoreAsync(storeFile, storeConnection);
}

// BenchmarkDotNet builds each suite in a separate project; on the shared 2-core machines that can take longer
// than its default 2-minute build timeout.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
