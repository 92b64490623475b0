namespace DmarcCloud.Core.ReportIngest;

/// <summary><c>auth_results</c>: the raw (unaligned) DKIM and SPF results.</summary>
/// <param name="Dkim">The <c>dkim</c> elements.</param>
/// <param name="Spf">The <c>spf</c> elements.</param>
public sealed record RecordAuthResults(IReadOnlyList<DkimAuthResult> Dkim, IReadOnlyList<SpfAuthResult> Spf);
