namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>What happened to one failure report request for one destination (also kept in <c>ReportLedger</c>).</summary>
/// <param name="Destination">The destination mailbox, or the URI as published when it is not usable.</param>
/// <param name="Status">Sent, Rejected, Unauthorized, Unsupported, Suppressed, Aggregated or Skipped.</param>
/// <param name="Detail">Why: the relay reply, the verification lookup, the limit that held it back, …</param>
/// <param name="Repeated">Settled by an earlier delivery of the same request: nothing was done now.</param>
public sealed record FailureReportDeliveryOutcome(string Destination, ReportDeliveryStatus Status, string? Detail, bool Repeated = false);
