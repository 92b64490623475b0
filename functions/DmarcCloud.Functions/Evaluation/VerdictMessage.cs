using DmarcCloud.Core;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Functions.Evaluation;

/// <summary>The message sent on Service Bus queue <c>verdicts</c> for the mail platform add-on to act on (docs/inbound.md).</summary>
/// <param name="MessageKey">The stable message key (same blob → same key).</param>
/// <param name="Blob">The blob, <c>container/name</c>.</param>
/// <param name="ReceivedAt">When the gateway received the message (UTC).</param>
/// <param name="HeaderFrom">The RFC 5322 From domain, if one was found.</param>
/// <param name="PolicyDomain">The domain whose DMARC policy applied, if any.</param>
/// <param name="Dmarc">The DMARC result (RFC 8601 name: pass, fail, none, temperror, permerror).</param>
/// <param name="Disposition">none, quarantine or reject.</param>
/// <param name="RequestedPolicy">The policy asked for before overrides, when DMARC failed.</param>
/// <param name="Overrides">Override reasons (RFC 9990 names).</param>
/// <param name="AuthenticationResults">The rendered Authentication-Results header field to add to the message.</param>
/// <param name="RcptTo">The envelope recipients.</param>
public sealed record VerdictMessage(
    string MessageKey,
    string Blob,
    DateTimeOffset ReceivedAt,
    string? HeaderFrom,
    string? PolicyDomain,
    string Dmarc,
    string Disposition,
    string? RequestedPolicy,
    IReadOnlyList<string> Overrides,
    string AuthenticationResults,
    IReadOnlyList<string> RcptTo)
{
    /// <summary>The message for <paramref name="verdict"/> of the blob <paramref name="blob"/>.</summary>
    public static VerdictMessage From(string messageKey, string blob, Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new VerdictMessage(
            messageKey, blob, verdict.Envelope.ReceivedAt, verdict.HeaderFrom, verdict.Policy?.Domain,
            RfcName.Of(verdict.Result), RfcName.Of(verdict.Disposition),
            verdict.RequestedPolicy is { } requested ? RfcName.Of(requested) : null, [.. verdict.Overrides.Select(o => RfcName.Of(o.Type))],
            verdict.AuthenticationResults, verdict.Envelope.RcptTo);
    }
}
