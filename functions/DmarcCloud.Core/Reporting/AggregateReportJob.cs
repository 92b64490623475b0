namespace DmarcCloud.Core.Reporting;

/// <summary>The message on <c>aggregate-jobs</c>: build the report of one policy domain for one UTC day.</summary>
/// <param name="Day">The UTC day (yyyy-MM-dd in JSON).</param>
/// <param name="PolicyDomain">The policy domain.</param>
public sealed record AggregateReportJob(DateOnly Day, string PolicyDomain);
