namespace DmarcCloud.Azure.Reporting;

/// <summary>One ledger record: a report and a destination, its status and why.</summary>
/// <param name="ReportId">The Report-ID.</param>
/// <param name="Destination">The destination mailbox (or the unsupported URI).</param>
/// <param name="Status">The status.</param>
/// <param name="Detail">The SMTP reply, DNS finding or other reason.</param>
/// <param name="UpdatedAt">When the record was last written.</param>
public sealed record ReportDelivery(string ReportId, string Destination, ReportDeliveryStatus Status, string? Detail, DateTimeOffset UpdatedAt);
