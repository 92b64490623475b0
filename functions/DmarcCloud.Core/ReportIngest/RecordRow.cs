namespace DmarcCloud.Core.ReportIngest;

/// <summary><c>row</c>: the source address, how many messages, and the policy the receiver applied.</summary>
/// <param name="SourceIp"><c>source_ip</c> as written (normalised when it is an IP address).</param>
/// <param name="Count"><c>count</c>.</param>
/// <param name="PolicyEvaluated"><c>policy_evaluated</c>.</param>
public sealed record RecordRow(string SourceIp, long Count, PolicyEvaluated PolicyEvaluated);
