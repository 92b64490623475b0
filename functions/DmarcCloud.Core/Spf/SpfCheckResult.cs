namespace DmarcCloud.Core.Spf;

/// <summary>The outcome of one SPF check_host() evaluation, with what it took to reach it.</summary>
/// <param name="Result">The SPF result.</param>
/// <param name="Identity">Which identity was checked.</param>
/// <param name="Domain">The domain checked (the MAIL FROM domain, or the HELO name).</param>
/// <param name="Explanation">For fail: the <c>exp=</c> text if any; otherwise why the result was reached.</param>
/// <param name="Mechanism">The directive that matched (e.g. <c>ip4:192.0.2.0/24</c>, <c>-all</c>), or null.</param>
/// <param name="DnsLookups">DNS-querying terms counted against the limit of 10 (RFC 7208 §4.6.4).</param>
/// <param name="VoidLookups">Lookups that returned NXDOMAIN or no answer, against the limit of 2.</param>
/// <param name="Record">The SPF record of <paramref name="Domain"/>, as published, if one was found.</param>
public sealed record SpfCheckResult(
    SpfResult Result,
    SpfIdentity Identity,
    string Domain,
    string? Explanation = null,
    string? Mechanism = null,
    int DnsLookups = 0,
    int VoidLookups = 0,
    string? Record = null);
