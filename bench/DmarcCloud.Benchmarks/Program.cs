using BenchmarkDotNet.Running;
using DmarcCloud.Benchmarks;

if (args is ["generate-dkim-corpus"])
{
    DkimCorpus.Generate();
    Console.WriteLine($"DKIM corpus written to {DkimCorpus.Directory}");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
