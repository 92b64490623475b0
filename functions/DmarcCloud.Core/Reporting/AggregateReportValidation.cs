namespace DmarcCloud.Core.Reporting;

/// <summary>The outcome of validating one report against both aggregate report schemas.</summary>
/// <param name="Rfc9990Errors">Errors against the RFC 9990 schema (empty: valid).</param>
/// <param name="Rfc7489Errors">Errors against the RFC 7489 Appendix C schema (empty: valid).</param>
/// <param name="Refused">
/// Why the file was not validated at all (corrupt or over-limit compression, see <see cref="ReportLimits"/>);
/// both error lists then hold this reason.
/// </param>
public sealed record AggregateReportValidation(IReadOnlyList<string> Rfc9990Errors, IReadOnlyList<string> Rfc7489Errors, string? Refused = null)
{
    /// <summary>Valid against the RFC 9990 schema.</summary>
    public bool IsValidRfc9990 => Rfc9990Errors.Count == 0;

    /// <summary>Valid against the RFC 7489 schema.</summary>
    public bool IsValidRfc7489 => Rfc7489Errors.Count == 0;

    /// <summary>The schema the report matched, or null when it matched neither.</summary>
    public AggregateReportFormat? Matched =>
        IsValidRfc9990 ? AggregateReportFormat.Rfc9990 : IsValidRfc7489 ? AggregateReportFormat.Rfc7489 : null;

    /// <summary>Whether the report is valid in <paramref name="format"/>.</summary>
    public bool IsValid(AggregateReportFormat format) => format == AggregateReportFormat.Rfc9990 ? IsValidRfc9990 : IsValidRfc7489;
}
