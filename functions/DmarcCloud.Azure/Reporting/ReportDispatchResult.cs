namespace DmarcCloud.Azure.Reporting;

/// <summary>The outcome of one dispatch with its reason (the SMTP reply or the ledger record).</summary>
/// <param name="Outcome">The outcome.</param>
/// <param name="Detail">Why.</param>
public sealed record ReportDispatchResult(ReportDispatchOutcome Outcome, string? Detail);
