using DmarcCloud.Core.Dns;

namespace DmarcCloud.OfflineDns;

/// <summary>The outcome of reading an RFC 1035 master file: the zone built from every good entry, and the errors.</summary>
/// <param name="Zone">The records that parsed; entries with errors are left out.</param>
/// <param name="Errors">One message per bad entry, each starting with <c>line N:</c>.</param>
/// <remarks>RFC 1035 §5. Bad input is reported here, never thrown.</remarks>
public sealed record ZoneFileParseResult(DnsZone Zone, IReadOnlyList<string> Errors)
{
    /// <summary>True when every entry parsed.</summary>
    public bool Success => Errors.Count == 0;
}
