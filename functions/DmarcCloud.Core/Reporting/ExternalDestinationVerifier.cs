using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Checks that a report destination outside the policy domain's organization agreed to receive its reports.
/// </summary>
/// <remarks>
/// RFC 9990 §2.4: when the organizational domain of the destination differs from that of the policy domain,
/// the receiver MUST find a TXT record starting with <c>v=DMARC1</c> at
/// <c>&lt;policy-domain&gt;._report._dmarc.&lt;destination-domain&gt;</c>; a wildcard
/// (<c>*._report._dmarc.&lt;destination-domain&gt;</c>) answers for every policy domain. Missing the check was
/// OpenDMARC#232. A DNS failure is <see cref="DestinationAuthorization.TemporaryFailure"/>, never a refusal.
/// </remarks>
public sealed class ExternalDestinationVerifier
{
    private readonly IDnsResolver _dns;
    private readonly IOrganizationalDomainResolver _organizationalDomains;

    /// <summary>Creates a verifier over DNS and the organizational-domain discovery.</summary>
    public ExternalDestinationVerifier(IDnsResolver dns, IOrganizationalDomainResolver organizationalDomains)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(organizationalDomains);
        _dns = dns;
        _organizationalDomains = organizationalDomains;
    }

    /// <summary>Verifies that reports on <paramref name="policyDomain"/> may go to <paramref name="destinationDomain"/>.</summary>
    public async Task<DestinationVerification> VerifyAsync(string policyDomain, string destinationDomain, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(policyDomain);
        ArgumentException.ThrowIfNullOrEmpty(destinationDomain);
        policyDomain = DnsName.Normalize(policyDomain);
        destinationDomain = DnsName.Normalize(destinationDomain);

        var policyOrg = await _organizationalDomains.FindOrganizationalDomainAsync(policyDomain, cancellationToken).ConfigureAwait(false);
        if (policyOrg.Status == DnsResultStatus.TemporaryFailure)
        {
            return new(DestinationAuthorization.TemporaryFailure, $"organizational domain of {policyDomain}: {policyOrg.Error}");
        }

        var destinationOrg = await _organizationalDomains.FindOrganizationalDomainAsync(destinationDomain, cancellationToken).ConfigureAwait(false);
        if (destinationOrg.Status == DnsResultStatus.TemporaryFailure)
        {
            return new(DestinationAuthorization.TemporaryFailure, $"organizational domain of {destinationDomain}: {destinationOrg.Error}");
        }

        var a = policyOrg.Records.Count > 0 ? policyOrg.Records[0] : policyDomain;
        var b = destinationOrg.Records.Count > 0 ? destinationOrg.Records[0] : destinationDomain;
        if (string.Equals(DnsName.Normalize(a), DnsName.Normalize(b), StringComparison.Ordinal))
        {
            return new(DestinationAuthorization.SameOrganization, $"{destinationDomain} and {policyDomain} share the organizational domain {a}");
        }

        var name = $"{policyDomain}._report._dmarc.{destinationDomain}";
        var txt = await _dns.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        switch (txt.Status)
        {
            case DnsResultStatus.TemporaryFailure:
                return new(DestinationAuthorization.TemporaryFailure, $"TXT {name}: {txt.Error}");
            case DnsResultStatus.Success when txt.Records.Any(r => IsDmarcRecord(r.Text)):
                return new(DestinationAuthorization.Authorized, $"TXT {name} starts with v=DMARC1");
            case DnsResultStatus.Success:
                return new(DestinationAuthorization.Unauthorized, $"TXT {name} has no record starting with v=DMARC1");
            default:
                return new(DestinationAuthorization.Unauthorized, $"TXT {name}: {(txt.Status == DnsResultStatus.NxDomain ? "NXDOMAIN" : "no data")}");
        }
    }

    private static bool IsDmarcRecord(string text)
    {
        var t = text.TrimStart();
        if (!t.StartsWith("v", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        t = t[1..].TrimStart();
        if (!t.StartsWith('='))
        {
            return false;
        }

        t = t[1..].TrimStart();
        return t.StartsWith("DMARC1", StringComparison.Ordinal) && (t.Length == 6 || t[6] is ';' or ' ' or '\t');
    }
}
