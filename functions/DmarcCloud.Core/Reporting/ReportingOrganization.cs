namespace DmarcCloud.Core.Reporting;

/// <summary>Who writes the reports: the <c>report_metadata</c> fields that come from configuration.</summary>
/// <remarks>RFC 9990 §3.1.1 (<c>org_name</c>, <c>email</c>, <c>extra_contact_info</c>, <c>generator</c>).</remarks>
/// <param name="OrgName">The reporting organization.</param>
/// <param name="Email">The contact address for the report's recipients.</param>
/// <param name="Domain">The reporter's domain: the receiver in filenames and the right side of Report-IDs.</param>
/// <param name="ExtraContactInfo">More contact details, if any.</param>
/// <param name="Generator">The software writing the report.</param>
public sealed record ReportingOrganization(
    string OrgName,
    string Email,
    string Domain,
    string? ExtraContactInfo = null,
    string Generator = "DmarcCloud");
