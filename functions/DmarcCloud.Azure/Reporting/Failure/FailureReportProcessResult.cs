namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>The outcome of one failure report request.</summary>
/// <param name="DeadLetter">The request is unusable (bad JSON, original message gone) or the relay refused permanently: dead-letter it with <see cref="Summary"/>.</param>
/// <param name="Summary">One line for the log.</param>
/// <param name="Deliveries">One outcome per destination.</param>
public sealed record FailureReportProcessResult(bool DeadLetter, string Summary, IReadOnlyList<FailureReportDeliveryOutcome> Deliveries);
