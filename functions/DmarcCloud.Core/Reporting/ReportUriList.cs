namespace DmarcCloud.Core.Reporting;

/// <summary>The parsed <c>rua</c> (or <c>ruf</c>) URIs of a policy: the mailto destinations and what could not be used.</summary>
/// <remarks>
/// RFC 9989 §4.7 and RFC 9990 §2.3: DmarcCloud sends by mail only, so other schemes are recorded as
/// unsupported. The RFC 7489 size suffix (<c>!10m</c>) is obsolete syntax in RFC 9989 and is ignored;
/// the reporter's own size cap applies instead.
/// </remarks>
/// <param name="Destinations">Distinct mailto destinations, in published order.</param>
/// <param name="Unsupported">URIs that are not usable mailto URIs, as published.</param>
public sealed record ReportUriList(IReadOnlyList<ReportDestination> Destinations, IReadOnlyList<string> Unsupported)
{
    /// <summary>Parses <paramref name="rua"/> (each entry one URI, as published).</summary>
    public static ReportUriList Parse(IEnumerable<string> rua)
    {
        ArgumentNullException.ThrowIfNull(rua);
        var destinations = new List<ReportDestination>();
        var unsupported = new List<string>();
        foreach (var raw in rua)
        {
            var parsed = Dmarc.DmarcReportUri.Parse(raw);
            var uri = parsed.Uri; // legacy "!size" suffix kept apart

            if (!uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                unsupported.Add(raw);
                continue;
            }

            var address = Uri.UnescapeDataString(uri["mailto:".Length..]);
            var query = address.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0)
            {
                address = address[..query];
            }

            var at = address.LastIndexOf('@');
            if (at <= 0 || at == address.Length - 1 || address.Contains(',', StringComparison.Ordinal) || address.Any(char.IsWhiteSpace))
            {
                unsupported.Add(raw);
                continue;
            }

            var domain = address[(at + 1)..].TrimEnd('.').ToLowerInvariant();
            address = address[..at] + "@" + domain;
            if (!destinations.Any(d => string.Equals(d.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                destinations.Add(new ReportDestination("mailto:" + address, address, domain, parsed.MaxSizeBytes));
            }
        }

        return new ReportUriList(destinations, unsupported);
    }
}
