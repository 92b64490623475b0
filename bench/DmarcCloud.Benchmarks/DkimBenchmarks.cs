using BenchmarkDotNet.Attributes;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// DKIM verification throughput over bench/corpus/dkim: parse (LF→CRLF + MimeKit) and verify every signature,
/// keys served from an in-memory <see cref="DnsZone"/>. scripts/bench-dkim.sh runs the same corpus through npm
/// mailauth 4.13.3 and prints the ratio.
/// </summary>
[MemoryDiagnoser]
public class DkimBenchmarks
{
    private byte[] _message = [];
    private DkimVerifier _verifier = null!;

    [Params("rsa2048.eml", "rsa1024.eml", "ed25519.eml", "multisig.eml", "large-200k.eml")]
    public string Message { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _message = File.ReadAllBytes(Path.Combine(DkimCorpus.Directory, Message));
        _verifier = new DkimVerifier(DkimCorpus.Zone());
        var results = _verifier.VerifyAsync(MessageReader.Parse(_message)).GetAwaiter().GetResult();
        if (results.Count == 0 || results.Any(r => r.Result != DkimResult.Pass))
        {
            throw new InvalidOperationException($"{Message}: corpus does not verify: {string.Join("; ", results.Select(r => $"{r.Result} {r.Reason}"))}");
        }
    }

    [Benchmark]
    public async Task<int> ParseAndVerify()
    {
        var results = await _verifier.VerifyAsync(MessageReader.Parse(_message)).ConfigureAwait(false);
        return results.Count;
    }
}
