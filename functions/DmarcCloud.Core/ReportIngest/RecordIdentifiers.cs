namespace DmarcCloud.Core.ReportIngest;

/// <summary><c>identifiers</c>: the domains the row's messages carried.</summary>
/// <param name="EnvelopeTo"><c>envelope_to</c>.</param>
/// <param name="EnvelopeFrom"><c>envelope_from</c>.</param>
/// <param name="HeaderFrom"><c>header_from</c>.</param>
public sealed record RecordIdentifiers(string? EnvelopeTo, string? EnvelopeFrom, string? HeaderFrom);
