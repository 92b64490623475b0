namespace DmarcCloud.Core.Reporting;

/// <summary>One finished report part: gzip-compressed XML with its Report-ID and filename.</summary>
/// <param name="PolicyDomain">The policy domain reported on.</param>
/// <param name="Day">The UTC day reported.</param>
/// <param name="ReportId">The Report-ID (<c>unique-id@reporter-domain</c>).</param>
/// <param name="FileName">The attachment filename.</param>
/// <param name="Part">1-based part number.</param>
/// <param name="PartCount">How many parts the configuration's report was split into.</param>
/// <param name="RowCount">Records in this part.</param>
/// <param name="MessageCount">Messages counted in this part.</param>
/// <param name="Content">The gzip-compressed XML.</param>
/// <param name="Rua">The <c>rua</c> URIs of the policy this report is about.</param>
public sealed record AggregateReportFile(
    string PolicyDomain,
    DateOnly Day,
    string ReportId,
    string FileName,
    int Part,
    int PartCount,
    int RowCount,
    long MessageCount,
    ReadOnlyMemory<byte> Content,
    IReadOnlyList<string> Rua);
