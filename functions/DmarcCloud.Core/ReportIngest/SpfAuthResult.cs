namespace DmarcCloud.Core.ReportIngest;

/// <summary>One <c>auth_results/spf</c> element.</summary>
/// <param name="Domain"><c>domain</c>.</param>
/// <param name="Scope"><c>scope</c> (<c>mfrom</c>/<c>helo</c>).</param>
/// <param name="Result"><c>result</c>, lower-cased.</param>
/// <param name="HumanResult"><c>human_result</c>.</param>
public sealed record SpfAuthResult(string? Domain, string? Scope, string? Result, string? HumanResult);
