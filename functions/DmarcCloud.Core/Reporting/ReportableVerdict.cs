using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// The part of a verdict an aggregate report needs, flat: what the verdict store keeps per message and
/// what the report builder groups into rows.
/// </summary>
/// <remarks>RFC 9990 §3 (the <c>record</c> element and its <c>row</c>, <c>identifiers</c>, <c>auth_results</c>).</remarks>
/// <param name="MessageKey">A stable key of the message (the same blob evaluated twice has the same key).</param>
/// <param name="ReceivedAt">When the message was received (UTC); decides the report day.</param>
/// <param name="SourceIp">The SMTP client IP.</param>
/// <param name="HeaderFrom">The RFC 5322 From domain.</param>
/// <param name="EnvelopeFrom">The RFC 5321 MAIL FROM domain (HELO name for a null reverse-path), if any.</param>
/// <param name="EnvelopeTo">The domain of the first RCPT TO, if any.</param>
/// <param name="Result">The DMARC result.</param>
/// <param name="Disposition">The disposition applied.</param>
/// <param name="DkimAligned">policy_evaluated/dkim: an aligned DKIM pass.</param>
/// <param name="SpfAligned">policy_evaluated/spf: an aligned SPF pass.</param>
/// <param name="Overrides">policy_evaluated/reason entries.</param>
/// <param name="Dkim">auth_results/dkim entries, in signature order.</param>
/// <param name="Spf">auth_results/spf, if SPF was checked.</param>
/// <param name="Policy">The policy as published when the message was evaluated.</param>
public sealed record ReportableVerdict(
    string MessageKey,
    DateTimeOffset ReceivedAt,
    string SourceIp,
    string HeaderFrom,
    string? EnvelopeFrom,
    string? EnvelopeTo,
    DmarcResult Result,
    Disposition Disposition,
    bool DkimAligned,
    bool SpfAligned,
    IReadOnlyList<PolicyOverrideReason> Overrides,
    IReadOnlyList<DkimSignatureResult> Dkim,
    SpfCheckResult? Spf,
    PublishedPolicy Policy)
{
    /// <summary>The reportable part of <paramref name="verdict"/>, or null when no DMARC policy applied (nothing to report).</summary>
    public static ReportableVerdict? FromVerdict(string messageKey, Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.Policy is null || verdict.HeaderFrom is null)
        {
            return null;
        }

        var envelope = verdict.Envelope;
        return new ReportableVerdict(
            messageKey,
            envelope.ReceivedAt.ToUniversalTime(),
            envelope.ClientIp.ToString(),
            verdict.HeaderFrom,
            verdict.Spf?.Domain,
            DomainOf(envelope.RcptTo.FirstOrDefault()),
            verdict.Result,
            verdict.Disposition,
            verdict.DkimAligned,
            verdict.SpfAligned,
            verdict.Overrides,
            verdict.Dkim,
            verdict.Spf,
            verdict.Policy);
    }

    private static string? DomainOf(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var at = address.LastIndexOf('@');
        return at < 0 ? null : address[(at + 1)..].TrimEnd('>').ToLowerInvariant();
    }
}
