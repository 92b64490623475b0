namespace DmarcCloud.Core.ReportIngest;

/// <summary>A well-known sending service from <see cref="SendingServiceCatalog"/>.</summary>
/// <param name="Name">Display name (e.g. <c>Google Workspace</c>).</param>
/// <param name="PtrSuffixes">Reverse-DNS name suffixes (lower-case, no leading dot).</param>
/// <param name="Ranges">Published address ranges in CIDR notation.</param>
public sealed record SendingService(string Name, IReadOnlyList<string> PtrSuffixes, IReadOnlyList<string> Ranges);
