namespace DmarcCloud.Core.Reporting;

/// <summary>Whether reports about a policy domain may go to a destination.</summary>
/// <remarks>RFC 9990 §2.4 (external destinations).</remarks>
public enum DestinationAuthorization
{
    /// <summary>The destination is in the policy domain's organization: no check needed.</summary>
    SameOrganization,

    /// <summary>The destination published <c>&lt;policy-domain&gt;._report._dmarc.&lt;destination&gt;</c> (or a wildcard) with <c>v=DMARC1</c>.</summary>
    Authorized,

    /// <summary>The destination did not authorize: no report may be sent.</summary>
    Unauthorized,

    /// <summary>DNS failed; the question is open, try again later (not a refusal).</summary>
    TemporaryFailure,
}
