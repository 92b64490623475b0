using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Reporting;

/// <summary>The disposition a report row gives: <c>policy_evaluated/disposition</c>.</summary>
/// <remarks>
/// RFC 9990 <c>ActionDispositionType</c>: <c>pass</c> means "no action, passing DMARC with an enforcing
/// policy". RFC 7489 has no <c>pass</c>; it is written as <c>none</c> there.
/// </remarks>
public enum ReportDisposition
{
    /// <summary>No action taken (<c>none</c>).</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Passed DMARC under a quarantine or reject policy (<c>pass</c>).</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>Failed DMARC, quarantined (<c>quarantine</c>).</summary>
    [JsonStringEnumMemberName("quarantine")]
    Quarantine,

    /// <summary>Failed DMARC, rejected (<c>reject</c>).</summary>
    [JsonStringEnumMemberName("reject")]
    Reject,
}
