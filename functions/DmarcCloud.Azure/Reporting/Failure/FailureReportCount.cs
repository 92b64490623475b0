namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>The outcome of counting one request in one bucket.</summary>
/// <param name="Granted">Within the limit (for an incident bucket: the first of its kind).</param>
/// <param name="Position">How many requests the bucket had counted before this one (granted and denied).</param>
/// <param name="Repeated">This request had been counted before (a redelivery): the earlier decision is returned, nothing counted again.</param>
public sealed record FailureReportCount(bool Granted, long Position, bool Repeated);
