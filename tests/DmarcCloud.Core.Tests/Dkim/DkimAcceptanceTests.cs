using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using DmarcCloud.OfflineDns;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using DkimSignatureAlgorithm = MimeKit.Cryptography.DkimSignatureAlgorithm;
using MimeKitSigner = MimeKit.Cryptography.DkimSigner;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>Damaged messages, keys and DNS: each yields a defined result with a reason, never an exception.</summary>
public class DkimAcceptanceTests
{
    private const string Ed25519Key = "brisbane._domainkey.football.example.com";
    private const string RsaKey = "test._domainkey.football.example.com";

    private static readonly DkimVector Rfc8463 = DkimVector.ById["rfc8463-A.3"];

    public static TheoryData<string, string, DkimResult, DkimResult, string> Cases() => new()
    {
        // case, what is changed, expected ed25519 result, expected rsa result, reason fragment (both)
        { "tampered body", "body", DkimResult.Fail, DkimResult.Fail, "body hash" },
        { "tampered signed header", "subject", DkimResult.Fail, DkimResult.Fail, "signature did not verify" },
        { "revoked key", "revoked", DkimResult.Fail, DkimResult.Fail, "revoked" },
        { "wrong key type", "swap-k", DkimResult.PermError, DkimResult.PermError, "key type" },
        { "truncated base64 in b=", "truncate-b", DkimResult.PermError, DkimResult.PermError, "b=" },
        { "DNS timeout during key lookup", "timeout", DkimResult.TempError, DkimResult.TempError, "temporarily" },
        { "no key published", "nxdomain", DkimResult.PermError, DkimResult.PermError, "no key" },
        { "key name exists without TXT", "nodata", DkimResult.PermError, DkimResult.PermError, "no key" },
        { "unsigned header added", "add-unsigned", DkimResult.Pass, DkimResult.Pass, string.Empty },
        { "second From added", "add-from", DkimResult.Fail, DkimResult.Fail, "signature did not verify" },
        { "h= without From", "h-no-from", DkimResult.PermError, DkimResult.PermError, "From" },
        { "i= outside d=", "i-outside", DkimResult.PermError, DkimResult.PermError, "not within d=" },
        { "key for another service", "s-tlsrpt", DkimResult.PermError, DkimResult.PermError, "email" },
        { "key limits hash to sha1", "h-sha1", DkimResult.PermError, DkimResult.PermError, "sha256" },
        { "truncated key in p=", "truncate-p", DkimResult.PermError, DkimResult.PermError, "key" },
        { "unknown algorithm", "a-unknown", DkimResult.Neutral, DkimResult.Neutral, "unsupported algorithm" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Damaged_input_gives_a_defined_result_with_a_reason(string name, string change, DkimResult ed25519, DkimResult rsa, string reason)
    {
        var raw = Encoding.Latin1.GetString(MessageReader.ToCrLf(Rfc8463.MessageBytes()));
        var edRecord = Rfc8463.DnsTxt[Ed25519Key];
        var rsaRecord = Rfc8463.DnsTxt[RsaKey];
        var zone = new DnsZone();
        switch (change)
        {
            case "body": raw = raw.Replace("We lost the game.", "We won the game.", StringComparison.Ordinal); break;
            case "subject": raw = raw.Replace("Subject: Is dinner ready?", "Subject: Is lunch ready?", StringComparison.Ordinal); break;
            case "revoked": edRecord = "v=DKIM1; k=ed25519; p="; rsaRecord = "v=DKIM1; k=rsa; p="; break;
            case "swap-k": (edRecord, rsaRecord) = (edRecord.Replace("k=ed25519", "k=rsa", StringComparison.Ordinal), rsaRecord.Replace("k=rsa", "k=ed25519", StringComparison.Ordinal)); break;
            case "truncate-b": raw = raw.Replace("Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==", "Fa3bT3FY5OsU7Zb", StringComparison.Ordinal).Replace("dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=", "dA+L10TeYt9B", StringComparison.Ordinal); break;
            case "timeout": zone.AddTemporaryFailure(Ed25519Key).AddTemporaryFailure(RsaKey); break;
            case "nxdomain": edRecord = rsaRecord = string.Empty; break;
            case "nodata": edRecord = rsaRecord = string.Empty; zone.AddAddress(Ed25519Key, System.Net.IPAddress.Loopback).AddAddress(RsaKey, System.Net.IPAddress.Loopback); break;
            case "add-unsigned": raw = "X-Mailer: later\r\n" + raw; break;
            case "add-from": raw = raw.Replace("To: Suzie Q", "From: Mallory <m@evil.example>\r\nTo: Suzie Q", StringComparison.Ordinal); break;
            case "h-no-from": raw = raw.Replace("h=from : to :", "h=sender : to :", StringComparison.Ordinal).Replace("h=from : to : subject :", "h=sender : to : subject :", StringComparison.Ordinal).Replace("message-id : from :", "message-id : sender :", StringComparison.Ordinal); break;
            case "i-outside": raw = raw.Replace("i=@football.example.com", "i=@example.org", StringComparison.Ordinal); break;
            case "s-tlsrpt": edRecord += "; s=tlsrpt"; rsaRecord += "; s=tlsrpt"; break;
            case "h-sha1": edRecord += "; h=sha1"; rsaRecord += "; h=sha1"; break;
            case "truncate-p": edRecord = edRecord[..^8] + "="; rsaRecord = rsaRecord[..^12]; break;
            case "a-unknown": raw = raw.Replace("a=ed25519-sha256", "a=ed448-sha256", StringComparison.Ordinal).Replace("a=rsa-sha256", "a=rsa-sha512", StringComparison.Ordinal); break;
            default: throw new ArgumentException(change);
        }

        if (change is not "timeout")
        {
            if (edRecord.Length > 0)
            {
                zone.AddTxt(Ed25519Key, edRecord);
            }

            if (rsaRecord.Length > 0)
            {
                zone.AddTxt(RsaKey, rsaRecord);
            }
        }

        var results = await new DkimVerifier(zone).VerifyAsync(MessageReader.Parse(Encoding.Latin1.GetBytes(raw)));

        Assert.Equal(2, results.Count);
        Assert.True(ed25519 == results[0].Result, $"{name} ed25519: {results[0].Result} ({results[0].Reason})");
        Assert.True(rsa == results[1].Result, $"{name} rsa: {results[1].Result} ({results[1].Reason})");
        foreach (var r in results)
        {
            Assert.Equal("football.example.com", r.Domain);
            if (r.Result != DkimResult.Pass)
            {
                Assert.Contains(reason, r.Reason, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Rsa_sha1_that_verifies_is_policy_by_default_and_pass_when_allowed()
    {
        var signer = new MimeKitSigner(TestFiles.PathOf("dkim", "dkimpy", "test.private"), "example.com", "test", DkimSignatureAlgorithm.RsaSha1);
        var message = MessageReader.Parse(TestSigner.Sign(TestFiles.Bytes("dkim", "dkimpy", "test.message"), signer));
        var zone = new DnsZone().AddTxt("test._domainkey.example.com", TestFiles.Text("dkim", "dkimpy", "test.txt").Trim());

        var strict = Assert.Single(await new DkimVerifier(zone).VerifyAsync(message));
        var lenient = Assert.Single(await new DkimVerifier(zone, new DkimVerifierOptions { AcceptRsaSha1 = true }).VerifyAsync(message));

        Assert.Equal(DkimResult.Policy, strict.Result);
        Assert.Contains("RFC 8301", strict.Reason, StringComparison.Ordinal);
        Assert.Equal(DkimResult.Pass, lenient.Result);
    }

    [Fact]
    public async Task Rsa_key_below_1024_bits_fails()
    {
        using var rsa = RSA.Create(768);
        var raw = SignWithRsa(rsa, TestFiles.Bytes("dkim", "dkimpy", "test.message"), extraTags: string.Empty);
        var zone = new DnsZone().AddTxt("small._domainkey.example.com", "v=DKIM1; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));

        var result = Assert.Single(await new DkimVerifier(zone).VerifyAsync(MessageReader.Parse(raw)));
        var allowed = Assert.Single(await new DkimVerifier(zone, new DkimVerifierOptions { MinimumRsaKeyBits = 512 }).VerifyAsync(MessageReader.Parse(raw)));

        Assert.Equal(DkimResult.Fail, result.Result);
        Assert.Equal(768, result.KeyBits);
        Assert.Contains("1024", result.Reason, StringComparison.Ordinal);
        Assert.Equal(DkimResult.Pass, allowed.Result);
    }

    [Fact]
    public async Task Body_length_limit_verifies_and_flags_unsigned_content()
    {
        using var rsa = RSA.Create(2048);
        var original = TestFiles.Bytes("dkim", "dkimpy", "test.message");
        var signed = SignWithRsa(rsa, original, extraTags: " l=10;");
        var appended = signed.Concat("\r\nClick here: http://evil.example/\r\n"u8.ToArray()).ToArray();
        var zone = new DnsZone().AddTxt("small._domainkey.example.com", "v=DKIM1; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));

        var result = Assert.Single(await new DkimVerifier(zone).VerifyAsync(MessageReader.Parse(appended)));

        Assert.Equal(DkimResult.Pass, result.Result);
        Assert.True(result.BodyLengthLimited);
        Assert.Equal(2048, result.KeyBits);
    }

    [Fact]
    public async Task Testing_flag_and_strict_identity_come_from_the_key_record()
    {
        using var rsa = RSA.Create(1024);
        var spki = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        var signed = MessageReader.Parse(SignWithRsa(rsa, TestFiles.Bytes("dkim", "dkimpy", "test.message"), extraTags: " i=user@sub.example.com;"));

        var testing = Assert.Single(await new DkimVerifier(new DnsZone().AddTxt("small._domainkey.example.com", "v=DKIM1; t=y; p=" + spki)).VerifyAsync(signed));
        var strict = Assert.Single(await new DkimVerifier(new DnsZone().AddTxt("small._domainkey.example.com", "v=DKIM1; t=s; p=" + spki)).VerifyAsync(signed));

        Assert.Equal(DkimResult.Pass, testing.Result);
        Assert.True(testing.KeyTesting);
        Assert.Equal(DkimResult.PermError, strict.Result);
        Assert.Contains("t=s", strict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsigned_message_gives_no_results_and_no_dns_query()
    {
        var vector = DkimVector.ById["go-msgauth-unsigned"];
        Assert.Empty(await new DkimVerifier(new DnsZone().AddTemporaryFailure("*")).VerifyAsync(MessageReader.Parse(vector.MessageBytes())));
    }

    [Fact]
    public async Task Cancellation_is_passed_through()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var verifier = new DkimVerifier(new CancellingResolver(Rfc8463.Zone()));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => verifier.VerifyAsync(MessageReader.Parse(Rfc8463.MessageBytes()), cts.Token));
    }

    /// <summary>Signs with rsa-sha256 relaxed/relaxed at small._domainkey.example.com using our canonicalizer.</summary>
    internal static byte[] SignWithRsa(RSA rsa, byte[] raw, string extraTags)
    {
        var message = MessageReader.Parse(raw);
        var hasher = new DkimHasher(message);
        var l = System.Text.RegularExpressions.Regex.Match(extraTags, @"l=(\d+)");
        var bh = hasher.HashBody(DkimCanonicalization.Relaxed, HashAlgorithmName.SHA256, l.Success ? long.Parse(l.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null).Hash;
        var value = $" v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=small; t=1700000000;{extraTags} h=from:to:subject; bh={Convert.ToBase64String(bh)}; b=";
        message.Headers.Insert(0, new Header("DKIM-Signature", value));
        message = MessageReader.Parse(Serialize(message));
        var header = message.Headers[0];
        var data = DkimHasher.SignedHeaderData(["from", "to", "subject"], header, DkimCanonicalization.Relaxed, DkimHasher.AllHeaders(message));
        var b = Convert.ToBase64String(rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var text = Encoding.Latin1.GetString(Serialize(message));
        return Encoding.Latin1.GetBytes(text.Replace("b=\r\n", "b=" + b + "\r\n", StringComparison.Ordinal));
    }

    private static byte[] Serialize(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    private sealed class CancellingResolver(DnsZone zone) : IDnsResolver
    {
        public Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return zone.LookupTxtAsync(name, cancellationToken);
        }

        public Task<DnsResult<System.Net.IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) => zone.LookupAAsync(name, cancellationToken);

        public Task<DnsResult<System.Net.IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) => zone.LookupAaaaAsync(name, cancellationToken);

        public Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) => zone.LookupMxAsync(name, cancellationToken);

        public Task<DnsResult<string>> LookupPtrAsync(System.Net.IPAddress address, CancellationToken cancellationToken = default) => zone.LookupPtrAsync(address, cancellationToken);
    }
}
