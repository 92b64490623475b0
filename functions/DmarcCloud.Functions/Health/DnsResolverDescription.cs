namespace DmarcCloud.Functions.Health;

/// <summary>Which DNS resolver the handler uses, for the health answer.</summary>
/// <param name="Configured">Whether a resolver is registered.</param>
/// <param name="Description">e.g. <c>zone file samples/dns/demo.zone (42 names)</c> or <c>system resolver</c>.</param>
public sealed record DnsResolverDescription(bool Configured, string Description);
