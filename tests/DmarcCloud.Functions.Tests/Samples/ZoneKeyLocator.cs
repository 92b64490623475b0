using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace DmarcCloud.Functions.Tests.Samples;

/// <summary>MimeKit's DKIM key lookup over an offline <see cref="DnsZone"/>: an independent check of the samples.</summary>
internal sealed class ZoneKeyLocator(DnsZone zone) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var result = await zone.LookupTxtAsync($"{selector}._domainkey.{domain}", cancellationToken);
        var record = result.Records.FirstOrDefault() ?? throw new InvalidOperationException($"no key at {selector}._domainkey.{domain}: {result.Status}");
        return GetPublicKey(record.Text);
    }
}
