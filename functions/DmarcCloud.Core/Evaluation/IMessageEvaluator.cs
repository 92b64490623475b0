namespace DmarcCloud.Core.Evaluation;

/// <summary>Runs SPF, DKIM, ARC and DMARC for one message and returns its verdict.</summary>
public interface IMessageEvaluator
{
    /// <summary>Evaluates the message <paramref name="message"/> (RFC 5322 bytes, CRLF or LF) received with <paramref name="envelope"/>.</summary>
    /// <remarks>
    /// Never throws for bad input: an unparsable message yields a verdict with <c>permerror</c> and its reason.
    /// DNS outages yield <c>temperror</c> results inside the verdict; the caller decides whether to retry.
    /// </remarks>
    Task<Verdict> EvaluateAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);
}
