using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Mime;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>Every vector of TestData/dkim/dkim-vectors.yml, each signature against its independently checked verdict.</summary>
public class DkimConformanceTests
{
    public static TheoryData<string> VectorIds() => new(DkimVector.ById.Keys);

    [Theory]
    [MemberData(nameof(VectorIds))]
    public async Task Vector_verifies_as_independently_checked(string id)
    {
        var vector = DkimVector.ById[id];
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(vector.VerifyTimeUnix ?? 1_700_000_000));
        var verifier = new DkimVerifier(vector.Zone(), timeProvider: clock);

        var results = await verifier.VerifyAsync(MessageReader.Parse(vector.MessageBytes()));

        var actual = results.Select(r => $"{r.Domain}/{r.Selector}: {Verdict(r)}").ToList();
        Assert.Equal(vector.IndependentCheck, actual);
    }

    [Fact]
    public async Task Signature_limit_stops_after_the_configured_number()
    {
        var vector = DkimVector.ById["go-msgauth-too-many"];
        var message = MessageReader.Parse(vector.MessageBytes());

        var limited = await new DkimVerifier(vector.Zone(), new DkimVerifierOptions { MaxSignatures = 2 }).VerifyAsync(message);
        var all = await new DkimVerifier(vector.Zone()).VerifyAsync(message);

        Assert.Equal(2, limited.Count);
        Assert.Equal(3, all.Count);
        Assert.All(all, r => Assert.Equal(DkimResult.Pass, r.Result));
    }

    [Fact]
    public async Task Pass_results_carry_key_bits_and_b_prefix()
    {
        var vector = DkimVector.ById["rfc8463-A.3"];
        var results = await new DkimVerifier(vector.Zone()).VerifyAsync(MessageReader.Parse(vector.MessageBytes()));

        Assert.Equal([256, 1024], results.Select(r => r.KeyBits ?? 0));
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], results.Select(r => r.Algorithm));
        Assert.All(results, r => Assert.True(r.SignatureBPrefix!.Length >= 8));
        Assert.Equal("@football.example.com", results[0].Identity);
    }

    [Fact]
    public async Task Expired_signature_is_a_permerror_after_x_and_passes_before()
    {
        var vector = DkimVector.ById["stalwart-005"]; // x=1667930064
        var message = MessageReader.Parse(vector.MessageBytes());

        var before = await new DkimVerifier(vector.Zone(), timeProvider: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1667930064))).VerifyAsync(message);
        var after = await new DkimVerifier(vector.Zone(), timeProvider: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1667930064 + 3600))).VerifyAsync(message);

        Assert.Equal(DkimResult.Pass, before[^1].Result);
        Assert.Equal(DkimResult.PermError, after[^1].Result);
        Assert.Contains("expired", after[^1].Reason, StringComparison.Ordinal);
    }

    private static string Verdict(DkimSignatureResult r) => r.Result switch
    {
        DkimResult.Pass => "pass",
        DkimResult.Fail when r.Reason == "signature did not verify" => "fail (signature)",
        _ => $"{r.Result} ({r.Reason})",
    };
}
