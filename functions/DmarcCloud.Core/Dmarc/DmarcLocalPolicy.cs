using System.Net;

namespace DmarcCloud.Core.Dmarc;

/// <summary>
/// The receiver's own exceptions to published DMARC policies, as the seed products offer them. Each one changes
/// only the disposition of a failing message and is reported as an override reason; the DMARC result stays.
/// </summary>
/// <remarks>RFC 9989 §7.4 (local policy), RFC 9990 <c>PolicyOverrideType</c>.</remarks>
public sealed class DmarcLocalPolicy
{
    /// <summary>Do not act on failures of SMTP-authenticated submissions (default true): <c>local_policy</c>.</summary>
    public bool SkipAuthenticatedSubmissions { get; set; } = true;

    /// <summary>Client networks (CIDR, e.g. <c>192.0.2.0/24</c>, or single addresses) whose mail is not acted on: <c>local_policy</c>.</summary>
    public IList<string> TrustedClientNetworks { get; init; } = [];

    /// <summary>From domains (and their subdomains) whose failures are not acted on: <c>local_policy</c>.</summary>
    public IList<string> AllowListedFromDomains { get; init; } = [];

    /// <summary>Quarantine instead of rejecting (MDaemon's "honour p=reject by junk-filing"): <c>local_policy</c>.</summary>
    public bool SoftenRejectToQuarantine { get; set; }

    /// <summary>ARC sealers whose <c>cv=pass</c> chain and recorded upstream results may rescue a failure.</summary>
    public IList<TrustedArcSealer> TrustedArcSealers { get; init; } = [];

    /// <summary>Whether <paramref name="address"/> is in <see cref="TrustedClientNetworks"/>. Malformed entries never match.</summary>
    public bool IsTrustedClient(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var entry in TrustedClientNetworks)
        {
            var text = entry.Trim();
            if (!text.Contains('/', StringComparison.Ordinal))
            {
                text += address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "/32" : "/128";
            }

            if (IPNetwork.TryParse(text, out var network) && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="domain"/> is, or is below, an allow-listed From domain.</summary>
    public bool IsAllowListed(string domain) =>
        AllowListedFromDomains.Any(d => IsSameOrBelow(domain, d));

    /// <summary>The trusted sealer entry for <paramref name="sealDomain"/>, if any.</summary>
    public TrustedArcSealer? FindTrustedSealer(string sealDomain) =>
        TrustedArcSealers.FirstOrDefault(s => IsSameOrBelow(sealDomain, s.Domain));

    private static bool IsSameOrBelow(string name, string parent)
    {
        var n = Dns.DnsName.Normalize(name);
        var p = Dns.DnsName.Normalize(parent);
        return n == p || n.EndsWith("." + p, StringComparison.Ordinal);
    }
}
