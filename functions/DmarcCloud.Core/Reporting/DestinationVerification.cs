namespace DmarcCloud.Core.Reporting;

/// <summary>The outcome of verifying one report destination, with why.</summary>
/// <param name="Authorization">The verdict.</param>
/// <param name="Detail">What was looked up and found, for the ledger and logs.</param>
public sealed record DestinationVerification(DestinationAuthorization Authorization, string Detail)
{
    /// <summary>A report may be sent.</summary>
    public bool MaySend => Authorization is DestinationAuthorization.SameOrganization or DestinationAuthorization.Authorized;
}
