using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using DmarcCloud.OfflineDns;
using DkimCanonicalizationAlgorithm = MimeKit.Cryptography.DkimCanonicalizationAlgorithm;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>Key record parsing (pure) and the dkimpy key-record cases (sign with MimeKit, verify with ours).</summary>
public class DkimKeyRecordTests
{
    [Theory]
    [InlineData("v=DKIM1; k=rsa; p=AQAB", true, "rsa", false, false)]
    [InlineData("p=AQAB", true, "rsa", false, false)] // v= optional, k= defaults to rsa
    [InlineData("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", true, "ed25519", false, false)]
    [InlineData("v=DKIM1; t=y:s; p=AQAB", true, "rsa", true, true)]
    [InlineData("v=DKIM1; p=", true, "rsa", false, false)] // revoked
    [InlineData("v=DKIM1: g=*; k=rsa; p=AQAB", false, null, false, false)] // dkimpy badversion
    [InlineData("k=rsa; v=DKIM1; p=AQAB", false, null, false, false)] // v= not first
    [InlineData("v=DKIM2; p=AQAB", false, null, false, false)]
    [InlineData("v=DKIM1; k=rsa", false, null, false, false)] // no p=
    [InlineData("v=DKIM1; p=AQ@B", false, null, false, false)] // bad base64
    [InlineData("v=DKIM1; p=AQAB; p=AQAB", false, null, false, false)] // duplicate tag
    public void Parse_follows_rfc6376_3_6_1(string text, bool ok, string? keyType, bool testing, bool strict)
    {
        var result = DkimKeyRecord.Parse(text);

        Assert.Equal(ok, result.Success);
        if (result.Success)
        {
            Assert.Equal(keyType, result.Value.KeyTypeName);
            Assert.Equal(testing, result.Value.Testing);
            Assert.Equal(strict, result.Value.StrictIdentity);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(result.Error));
        }
    }

    [Fact]
    public async Task Key_split_over_several_txt_strings_is_joined()
    {
        var vector = DkimVector.ById["mailauth-ec-signed"];
        var rsa = vector.DnsTxt["test._domainkey.football.example.com"];
        var zone = new DnsZone()
            .AddTxt("brisbane._domainkey.football.example.com", vector.DnsTxt["brisbane._domainkey.football.example.com"])
            .AddTxt("test._domainkey.football.example.com", new TxtRecord([rsa[..40], rsa[40..100], rsa[100..180], rsa[180..]]));

        var results = await new DkimVerifier(zone).VerifyAsync(MessageReader.Parse(vector.MessageBytes()));

        Assert.All(results, r => Assert.Equal(DkimResult.Pass, r.Result));
    }

    public static TheoryData<string, DkimResult> DkimpyRecords() => new()
    {
        { "test.txt", DkimResult.Pass },
        { "test2.txt", DkimResult.Pass },
        { "badversion.txt", DkimResult.PermError },
        { "badk.txt", DkimResult.PermError },
        { "test_bad.txt", DkimResult.PermError },
        { "test_tlsrpt.txt", DkimResult.PermError },
    };

    [Theory]
    [MemberData(nameof(DkimpyRecords))]
    public async Task Dkimpy_key_record_cases_in_every_canonicalization(string recordFile, DkimResult expected)
    {
        var record = TestFiles.Text("dkim", "dkimpy", recordFile).Trim();
        var zone = new DnsZone().AddTxt("test._domainkey.example.com", record);
        foreach (var header in new[] { DkimCanonicalizationAlgorithm.Simple, DkimCanonicalizationAlgorithm.Relaxed })
        {
            foreach (var body in new[] { DkimCanonicalizationAlgorithm.Simple, DkimCanonicalizationAlgorithm.Relaxed })
            {
                var signed = TestSigner.SignDkimpyMessage(header, body);
                var result = Assert.Single(await new DkimVerifier(zone).VerifyAsync(MessageReader.Parse(signed)));
                Assert.True(expected == result.Result, $"{header}/{body}: {result.Result} ({result.Reason})");
                Assert.Equal(expected == DkimResult.Pass, result.Reason is null);
            }
        }
    }

    [Fact]
    public async Task Ed25519_signature_from_mimekit_verifies_with_dkimpy_ed25519_record()
    {
        var zone = new DnsZone().AddTxt("test._domainkey.example.net", TestFiles.Text("dkim", "dkimpy", "ed25519test.dns").Trim());

        var result = Assert.Single(await new DkimVerifier(zone).VerifyAsync(MessageReader.Parse(TestSigner.SignDkimpyMessageEd25519())));

        Assert.Equal(DkimResult.Pass, result.Result);
        Assert.Equal(256, result.KeyBits);
    }
}
