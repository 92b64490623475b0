namespace DmarcCloud.Core.Reporting;

/// <summary>The message on <c>outbound-reports</c>: send one stored report part to one destination.</summary>
/// <param name="ReportId">The Report-ID.</param>
/// <param name="PolicyDomain">The policy domain the report is about.</param>
/// <param name="Day">The UTC day reported.</param>
/// <param name="BlobName">Where the gzip report is stored in container <c>reports</c>.</param>
/// <param name="FileName">The attachment filename.</param>
/// <param name="Destination">The destination mailbox.</param>
/// <param name="Part">1-based part number.</param>
/// <param name="PartCount">Number of parts.</param>
public sealed record OutboundReport(
    string ReportId,
    string PolicyDomain,
    DateOnly Day,
    string BlobName,
    string FileName,
    string Destination,
    int Part,
    int PartCount);
