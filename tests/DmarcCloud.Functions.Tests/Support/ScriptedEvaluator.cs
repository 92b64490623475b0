using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Functions.Tests;

/// <summary>
/// An <see cref="IMessageEvaluator"/> that returns what a test scripts. Used ONLY where the evaluation itself is
/// not under test (payload decoding, output shapes, error paths); its verdicts are not evaluation results.
/// </summary>
internal sealed class ScriptedEvaluator(Func<SmtpEnvelope, ReadOnlyMemory<byte>, Verdict> script) : IMessageEvaluator
{
    public int Calls { get; private set; }

    public Task<Verdict> EvaluateAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(script(envelope, message));
    }
}
