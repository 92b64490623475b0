using System.Net;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Dmarc;

/// <summary>What DMARC evaluates: the author domain(s) and the SPF, DKIM and ARC results already computed.</summary>
/// <param name="Author">The author domain(s) from the From field.</param>
/// <param name="Spf">The SPF result DMARC uses: MAIL FROM, or HELO for a null reverse-path (RFC 9989 §4.6); null when not checked.</param>
/// <param name="Dkim">Every DKIM signature's result.</param>
/// <param name="Arc">The ARC chain validation (for trusted-sealer rescue).</param>
/// <param name="ClientIp">The SMTP client address (for trusted networks), if known.</param>
/// <param name="Authenticated">The message was an SMTP-authenticated submission.</param>
public sealed record DmarcEvaluationInput(
    AuthorDomainResult Author,
    SpfCheckResult? Spf,
    IReadOnlyList<DkimSignatureResult> Dkim,
    ArcValidationResult? Arc = null,
    IPAddress? ClientIp = null,
    bool Authenticated = false);
