namespace DmarcCloud.Cli.Commands;

/// <summary>The one JSON object `dmarccloud spf --json` prints.</summary>
internal sealed record SpfJsonOutput(string Result, string? Explanation, string? Mechanism, int DnsLookups, int VoidLookups);
