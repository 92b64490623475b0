namespace DmarcCloud.Azure.Reporting;

/// <summary>What happened to one report for one destination, as kept in the ledger.</summary>
public enum ReportDeliveryStatus
{
    /// <summary>A sender claimed it and is sending now (or crashed while sending).</summary>
    Sending,

    /// <summary>The relay accepted it; it is never sent again.</summary>
    Sent,

    /// <summary>The relay refused it permanently (5xx); dead-lettered with the reply as reason.</summary>
    Rejected,

    /// <summary>An external destination that did not authorize reports (RFC 9990 §2.4); nothing sent.</summary>
    Unauthorized,

    /// <summary>A <c>rua</c>/<c>ruf</c> URI DmarcCloud cannot send to (not mailto); nothing sent.</summary>
    Unsupported,

    /// <summary>A failure report held back by a rate limit (RFC 9991 §2); counted in the limit's counter, nothing sent.</summary>
    Suppressed,

    /// <summary>A failure report identical to an earlier one in the aggregation window: counted as an incident of that one (RFC 5965 <c>Incidents</c>).</summary>
    Aggregated,

    /// <summary>No failure report is due for this message (it is report mail itself, or no <c>fo</c> option fired); nothing sent.</summary>
    Skipped,
}
