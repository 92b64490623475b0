namespace DmarcCloud.Core.ReportIngest;

/// <summary>One <c>auth_results/dkim</c> element.</summary>
/// <param name="Domain"><c>domain</c> (the <c>d=</c> tag).</param>
/// <param name="Selector"><c>selector</c>.</param>
/// <param name="Result"><c>result</c>, lower-cased.</param>
/// <param name="HumanResult"><c>human_result</c>.</param>
public sealed record DkimAuthResult(string? Domain, string? Selector, string? Result, string? HumanResult);
