namespace DmarcCloud.Core.Reporting;

/// <summary>A <c>mailto:</c> aggregate report destination.</summary>
/// <param name="Uri">The URI as published (without a size suffix).</param>
/// <param name="Address">The mailbox, e.g. <c>dmarc@example.net</c>.</param>
/// <param name="Domain">The mailbox's domain (lower-case): what external destination verification checks.</param>
public sealed record ReportDestination(string Uri, string Address, string Domain);
