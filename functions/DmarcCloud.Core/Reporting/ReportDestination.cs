namespace DmarcCloud.Core.Reporting;

/// <summary>A <c>mailto:</c> aggregate report destination.</summary>
/// <param name="Uri">The URI as published (without a size suffix).</param>
/// <param name="Address">The mailbox, e.g. <c>dmarc@example.net</c>.</param>
/// <param name="Domain">The mailbox's domain (lower-case): what external destination verification checks.</param>
/// <param name="MaxSizeBytes">The legacy <c>!size</c> limit published with the URI (RFC 7489 §6.4; obsolete syntax in
/// RFC 9989), if any. Aggregate reports ignore it; failure reports keep under it as well as under their own cap.</param>
public sealed record ReportDestination(string Uri, string Address, string Domain, long? MaxSizeBytes = null);
