namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>The outcome of one report of an input.</summary>
/// <param name="Origin">Where in the input it was found.</param>
/// <param name="Outcome"><c>stored</c>, <c>duplicate</c> or <c>rejected</c>.</param>
/// <param name="Kind"><c>aggregate</c> or <c>failure</c> when read.</param>
/// <param name="Domain">The domain the report is about.</param>
/// <param name="ReportKey">The stored report's key (aggregate reports).</param>
/// <param name="Reason">Why it was rejected.</param>
public sealed record IngestItem(string Origin, string Outcome, string? Kind, string? Domain, string? ReportKey, string? Reason);
