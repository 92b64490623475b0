namespace DmarcCloud.Azure.Reporting;

/// <summary>What <see cref="ReportDispatcher"/> did with one outbound report.</summary>
public enum ReportDispatchOutcome
{
    /// <summary>Sent now.</summary>
    Sent,

    /// <summary>The ledger says it was sent before: nothing sent (a redelivery).</summary>
    AlreadySent,

    /// <summary>Another sender holds a fresh claim: retry later (the function returns non-2xx).</summary>
    InProgressElsewhere,

    /// <summary>The relay refused it permanently (now or before): recorded; the function returns non-2xx with the
    /// reply so Service Bus dead-letters it after its retries, and it is never re-sent.</summary>
    Rejected,
}
