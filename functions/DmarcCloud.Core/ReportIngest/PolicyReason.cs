namespace DmarcCloud.Core.ReportIngest;

/// <summary><c>reason</c>: why the receiver applied a policy other than the published one.</summary>
/// <param name="Type"><c>type</c> (<c>forwarded</c>, <c>local_policy</c>, …).</param>
/// <param name="Comment"><c>comment</c>.</param>
public sealed record PolicyReason(string? Type, string? Comment);
