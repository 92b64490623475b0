using DmarcCloud.Core.Dmarc;

namespace DmarcCloud.Core.Rollout;

/// <summary>
/// One row of aggregate-report traffic about a domain, reduced to what the rollout advisor needs: who sent how many
/// messages on which day, and how they authenticated.
/// </summary>
/// <param name="Day">The UTC day the report covers.</param>
/// <param name="SourceIp">The sending address, as reported (RFC 9990 <c>source_ip</c>).</param>
/// <param name="HeaderFrom">The author domain (<c>identifiers/header_from</c>), lower-case.</param>
/// <param name="Count">How many messages.</param>
/// <param name="DkimPass">A DKIM signature passed, aligned or not (<c>auth_results/dkim</c>).</param>
/// <param name="DkimAligned">DKIM passed aligned (<c>policy_evaluated/dkim</c> = pass).</param>
/// <param name="SpfPass">SPF passed, aligned or not (<c>auth_results/spf</c>).</param>
/// <param name="SpfAligned">SPF passed aligned (<c>policy_evaluated/spf</c> = pass).</param>
/// <param name="Disposition">What the receiver did (<c>policy_evaluated/disposition</c>), when reported.</param>
/// <param name="ReverseName">The source's PTR name, when known.</param>
/// <param name="Service">The known sending service the source belongs to (from the ingest's services map), when known.</param>
/// <param name="Reporter">The receiver that reported the row, when known.</param>
/// <remarks>RFC 9990 §3 (<c>record</c>); DMARC passes when DKIM or SPF passes aligned (RFC 9989 §4.8).</remarks>
public sealed record TrafficRow(
    DateOnly Day,
    string SourceIp,
    string HeaderFrom,
    long Count,
    bool DkimPass,
    bool DkimAligned,
    bool SpfPass,
    bool SpfAligned,
    Disposition? Disposition = null,
    string? ReverseName = null,
    string? Service = null,
    string? Reporter = null)
{
    /// <summary>The messages passed DMARC.</summary>
    public bool DmarcPass => DkimAligned || SpfAligned;
}
