using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>
/// The DKIM part of the domain check: each selector's key record fetched by <see cref="DkimKeyLocator"/> and parsed
/// by <see cref="DkimKeyRecord.Parse"/>, its key read to learn its size.
/// </summary>
/// <remarks>
/// RFC 6376 §3.6.1 (key record: <c>t=y</c>, empty <c>p=</c> revokes, <c>h=</c>, <c>s=</c>), RFC 8301 §3.1 (rsa-sha1
/// MUST NOT be used) and §3.2 (RSA keys under 1024 bits MUST NOT be accepted; signers SHOULD use 2048), RFC 8463.
/// </remarks>
internal static class DkimAuditor
{
    public static async Task<IReadOnlyList<DkimKeyAudit>> AuditAsync(
        IDnsResolver dns, string domain, IReadOnlyList<string> selectors, DomainCheckOptions options, List<CheckFinding> findings, CancellationToken cancellationToken)
    {
        var locator = new DkimKeyLocator(dns);
        var requested = selectors.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var all = requested.Concat(options.WellKnownSelectors.Select(s => s.ToLowerInvariant()).Where(s => !requested.Contains(s, StringComparer.Ordinal))).ToList();
        var audits = new List<DkimKeyAudit>();
        foreach (var selector in all)
        {
            var isRequested = requested.Contains(selector, StringComparer.Ordinal);
            var lookup = await locator.LocateAsync(selector, domain, cancellationToken).ConfigureAwait(false);
            var name = DnsName.Normalize(lookup.Name);
            switch (lookup.Status)
            {
                case DkimKeyLookupStatus.NotFound when !isRequested:
                    continue; // a well-known selector this domain does not use
                case DkimKeyLookupStatus.NotFound:
                    findings.Add(new CheckFinding("dkim.missing-key", FindingSeverity.Error, CheckArea.Dkim, name,
                        $"No DKIM key at {name}: mail signed with selector '{selector}' fails DKIM everywhere (PERMFAIL no key).", "RFC 6376 §6.1.2"));
                    audits.Add(new DkimKeyAudit(selector, name, true, lookup.Status, Error: lookup.Error));
                    continue;
                case DkimKeyLookupStatus.TemporaryFailure:
                    findings.Add(new CheckFinding("dkim.temperror", isRequested ? FindingSeverity.Error : FindingSeverity.Warning, CheckArea.Dkim, name,
                        $"DNS did not answer for {name} ({lookup.Error}): verifiers get TEMPFAIL now. This is not the same as a missing key.", "RFC 6376 §6.1.2"));
                    audits.Add(new DkimKeyAudit(selector, name, isRequested, lookup.Status, Error: lookup.Error));
                    continue;
                case DkimKeyLookupStatus.Invalid:
                    findings.Add(new CheckFinding("dkim.invalid-record", FindingSeverity.Error, CheckArea.Dkim, name,
                        $"The key record at {name} cannot be used: {lookup.Error}.", "RFC 6376 §3.6.1"));
                    audits.Add(new DkimKeyAudit(selector, name, isRequested, lookup.Status, Error: lookup.Error));
                    continue;
            }

            audits.Add(Audit(selector, name, isRequested, lookup.Record!, options, findings));
        }

        if (!audits.Any(a => a.Status == DkimKeyLookupStatus.Found) && requested.Count == 0 && !audits.Any(a => a.Status == DkimKeyLookupStatus.TemporaryFailure))
        {
            findings.Add(new CheckFinding("dkim.none-found", FindingSeverity.Warning, CheckArea.Dkim, "_domainkey." + domain,
                $"No DKIM key under the common selectors ({string.Join(", ", options.WellKnownSelectors)}). Name your selectors (the s= of your DKIM-Signature) with --selector to check them.",
                "RFC 6376 §3.6.2.1"));
        }

        return audits;
    }

    private static DkimKeyAudit Audit(string selector, string name, bool requested, DkimKeyRecord key, DomainCheckOptions options, List<CheckFinding> findings)
    {
        int? bits = null;
        string? error = null;
        if (key.IsRevoked)
        {
            findings.Add(new CheckFinding("dkim.revoked", requested ? FindingSeverity.Warning : FindingSeverity.Info, CheckArea.Dkim, name,
                $"The key at {name} is revoked (empty p=): signatures with selector '{selector}' fail. Fine for a retired selector; sign with another one.", "RFC 6376 §3.6.1"));
        }
        else if (key.KeyType == DkimKeyType.Unknown)
        {
            error = $"unknown key type k={key.KeyTypeName}";
            findings.Add(new CheckFinding("dkim.unknown-key-type", FindingSeverity.Error, CheckArea.Dkim, name,
                $"k={key.KeyTypeName} at {name} is not a key type verifiers know (rsa, ed25519): signatures fail.", "RFC 6376 §3.6.1"));
        }
        else
        {
            using var imported = DkimPublicKey.Import(key.KeyType, key.PublicKey, out error);
            if (imported is null)
            {
                findings.Add(new CheckFinding("dkim.bad-key", FindingSeverity.Error, CheckArea.Dkim, name,
                    $"The p= of {name} is not a usable {key.KeyTypeName} key ({error}): signatures fail.", "RFC 6376 §3.6.1"));
            }
            else
            {
                bits = imported.Bits;
                if (key.KeyType == DkimKeyType.Rsa && bits < options.MinimumRsaKeyBits)
                {
                    findings.Add(new CheckFinding("dkim.rsa-too-small", FindingSeverity.Error, CheckArea.Dkim, name,
                        $"RSA key of {bits} bits at {name}: verifiers must not accept keys under {options.MinimumRsaKeyBits} bits. Publish a 2048-bit key under a new selector.", "RFC 8301 §3.2"));
                }
                else if (key.KeyType == DkimKeyType.Rsa && bits < options.RecommendedRsaKeyBits)
                {
                    findings.Add(new CheckFinding("dkim.rsa-weak", FindingSeverity.Warning, CheckArea.Dkim, name,
                        $"RSA key of {bits} bits at {name}: signers should use at least {options.RecommendedRsaKeyBits} bits. Rotate to a 2048-bit key under a new selector.", "RFC 8301 §3.2"));
                }
                else if (key.KeyType == DkimKeyType.Ed25519)
                {
                    findings.Add(new CheckFinding("dkim.ed25519", FindingSeverity.Info, CheckArea.Dkim, name,
                        $"Ed25519 key at {name}: verifiers without RFC 8463 ignore such signatures; sign with an RSA key as well.", "RFC 8463 §4"));
                }
                else
                {
                    findings.Add(new CheckFinding("dkim.key-ok", FindingSeverity.Info, CheckArea.Dkim, name,
                        $"{key.KeyTypeName.ToUpperInvariant()} key of {bits} bits at {name}.", "RFC 6376 §3.6.1"));
                }
            }
        }

        if (key.Testing)
        {
            findings.Add(new CheckFinding("dkim.testing", FindingSeverity.Warning, CheckArea.Dkim, name,
                $"t=y at {name}: the domain says it is testing DKIM, and verifiers may treat failed signatures as unsigned. Remove t=y once signing works.", "RFC 6376 §3.6.1"));
        }

        if (key.HashAlgorithms is { Count: > 0 } hashes && hashes.All(h => h == "sha1"))
        {
            findings.Add(new CheckFinding("dkim.sha1-only", FindingSeverity.Error, CheckArea.Dkim, name,
                $"h=sha1 at {name}: only rsa-sha1 signatures may use this key, and verifiers must not accept rsa-sha1. Remove h= (or use h=sha256).", "RFC 8301 §3.1"));
        }

        if (!key.AllowsEmail)
        {
            findings.Add(new CheckFinding("dkim.not-for-email", FindingSeverity.Error, CheckArea.Dkim, name,
                $"s={string.Join(':', key.ServiceTypes)} at {name} excludes email: verifiers ignore the key for mail.", "RFC 6376 §3.6.1"));
        }

        return new DkimKeyAudit(selector, name, requested, DkimKeyLookupStatus.Found, key.KeyTypeName, bits, key.Testing, key.IsRevoked, key.HashAlgorithms, error);
    }
}
