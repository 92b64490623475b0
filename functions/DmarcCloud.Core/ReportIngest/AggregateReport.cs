namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// One aggregate (rua) report as received, normalised: member names mirror the XML element names in camelCase
/// (<c>org_name</c> → <see cref="OrgName"/>), result keywords lower-cased.
/// </summary>
/// <remarks>
/// RFC 7489 Appendix C, RFC 9990 Appendix A (namespace <c>urn:ietf:params:xml:ns:dmarc-2.0</c>) and the pre-RFC
/// draft (no <c>version</c>) share one element vocabulary; <see cref="Format"/> says which one was seen.
/// </remarks>
public sealed record AggregateReport
{
    /// <summary>Always <c>aggregate</c> (the discriminator of the normalised JSON).</summary>
    public string Kind => "aggregate";

    /// <summary>Which schema the document follows: <c>rfc9990</c>, <c>rfc7489</c> or <c>draft</c>.</summary>
    public required string Format { get; init; }

    /// <summary><c>version</c>, when present.</summary>
    public string? Version { get; init; }

    /// <summary><c>report_metadata/org_name</c> (may be empty in real reports; see <see cref="Warnings"/>).</summary>
    public required string OrgName { get; init; }

    /// <summary><c>report_metadata/email</c>.</summary>
    public string? Email { get; init; }

    /// <summary><c>report_metadata/extra_contact_info</c>.</summary>
    public string? ExtraContactInfo { get; init; }

    /// <summary><c>report_metadata/report_id</c>.</summary>
    public required string ReportId { get; init; }

    /// <summary><c>report_metadata/date_range</c> in Unix seconds.</summary>
    public required ReportDateRange DateRange { get; init; }

    /// <summary><c>report_metadata/error</c> elements.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary><c>report_metadata/generator</c> (RFC 9990).</summary>
    public string? Generator { get; init; }

    /// <summary><c>policy_published</c>.</summary>
    public required ReportPolicyPublished PolicyPublished { get; init; }

    /// <summary>The <c>record</c> elements, in document order.</summary>
    public IReadOnlyList<AggregateRecord> Records { get; init; } = [];

    /// <summary>Deviations that were tolerated (upper-case keywords, missing optional elements, a BOM, …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
