using BenchmarkDotNet.Attributes;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// Full evaluation (SPF MAIL FROM + HELO, DKIM, ARC, DMARC, Authentication-Results) of one message of
/// bench/corpus/evaluate through <see cref="MessageEvaluator"/> over the in-memory zone (bench.zone);
/// scripts/bench-evaluate.sh compares the same corpus with npm mailauth's authenticate().
/// </summary>
[MemoryDiagnoser]
public class EvaluateBenchmarks
{
    private ReadOnlyMemory<byte> _message;
    private SmtpEnvelope _envelope = null!;
    private MessageEvaluator _evaluator = null!;

    [Params("typical-rsa2048.eml", "typical-ed25519-esp.eml", "typical-3sig.eml", "dmarc-fail.eml", "dmarc-none.eml", "arc-forwarded.eml", "large-100k.eml", "large-200k.eml")]
    public string Message { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var entry = EvaluateCorpus.Manifest().Single(e => e.File == Message);
        _message = File.ReadAllBytes(Path.Combine(EvaluateCorpus.Directory, Message));
        _envelope = EvaluateCorpus.Envelope(entry);
        _evaluator = new MessageEvaluator(EvaluateCorpus.Zone(), EvaluateCorpus.Options());
        var verdict = _evaluator.EvaluateAsync(_envelope, _message).GetAwaiter().GetResult();
        if (!string.Equals(verdict.Result.ToString(), entry.Dmarc, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Message}: DMARC {verdict.Result}, corpus expects {entry.Dmarc}: {verdict.AuthenticationResults}");
        }
    }

    [Benchmark]
    public async Task<Verdict> Evaluate() => await _evaluator.EvaluateAsync(_envelope, _message).ConfigureAwait(false);
}
