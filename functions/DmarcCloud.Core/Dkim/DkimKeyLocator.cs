using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Dkim;

/// <summary>Fetches DKIM key records over <see cref="IDnsResolver"/> and parses them.</summary>
/// <remarks>
/// RFC 6376 §3.6.2.1: the key lives in a TXT record at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.
/// §6.1.2: a temporary DNS failure is TEMPFAIL; NXDOMAIN/NODATA or no parsable record is PERMFAIL.
/// When several TXT records exist, the first that parses as a key record is used (§3.6.2.2 leaves the choice open).
/// </remarks>
public sealed class DkimKeyLocator(IDnsResolver dns)
{
    /// <summary>Looks up and parses the key of <paramref name="selector"/> in <paramref name="domain"/>.</summary>
    public async Task<DkimKeyLookup> LocateAsync(string selector, string domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(domain);
        var name = $"{selector}._domainkey.{domain}";
        var answer = await dns.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case DnsResultStatus.TemporaryFailure:
                return new(DkimKeyLookupStatus.TemporaryFailure, name, Error: $"key lookup for {name} failed temporarily ({answer.Error})");
            case DnsResultStatus.NxDomain:
                return new(DkimKeyLookupStatus.NotFound, name, Error: $"no key for signature: {name} does not exist");
            case DnsResultStatus.NoData:
                return new(DkimKeyLookupStatus.NotFound, name, Error: $"no key for signature: {name} has no TXT record");
        }

        string? firstError = null;
        foreach (var txt in answer.Records)
        {
            var parsed = DkimKeyRecord.Parse(txt.Text);
            if (parsed.Success)
            {
                return new(DkimKeyLookupStatus.Found, name, parsed.Value);
            }

            firstError ??= parsed.Error;
        }

        return new(DkimKeyLookupStatus.Invalid, name, Error: $"key record at {name} is invalid: {firstError}");
    }
}
