using System.Text;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Tests.Dkim;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Core.Tests.Arc;

/// <summary>Real ARC chains (stalwart samples) and the parts of the result the suite does not check.</summary>
public class ArcValidatorTests
{
    public static TheoryData<string, int> StalwartSamples() => new() { { "001.txt", 1 }, { "002.txt", 2 } };

    [Theory]
    [MemberData(nameof(StalwartSamples))]
    public async Task Stalwart_sample_chain_passes_with_every_hop_valid(string file, int hops)
    {
        var (zone, message) = LoadStalwart(file);

        var result = await new ArcValidator(zone).ValidateAsync(message);

        Assert.Equal(ArcChainStatus.Pass, result.Status);
        Assert.Equal(hops, result.Hops.Count);
        Assert.All(result.Hops, h => Assert.True(h.SealValid && h.MessageSignatureValid));
        Assert.Equal(1, result.OldestPass);
        Assert.Null(result.FailedInstance);
    }

    [Fact]
    public async Task Stalwart_001_also_has_passing_dkim_signatures()
    {
        var (zone, message) = LoadStalwart("001.txt");

        var dkim = await new DkimVerifier(zone).VerifyAsync(message);

        Assert.Contains(dkim, r => r.Result == DkimResult.Pass && r.Domain == "ietf.org");
        Assert.Contains(dkim, r => r.Result == DkimResult.Fail && r.Domain == "stalw.art" && r.Reason == "body hash did not verify");
    }

    [Fact]
    public async Task Hops_expose_sealer_and_aar_payload()
    {
        var (zone, message) = LoadStalwart("002.txt");

        var result = await new ArcValidator(zone).ValidateAsync(message);

        Assert.Equal(["scamorza.org", "manchego.org"], result.Hops.Select(h => h.SealDomain));
        Assert.Equal(["ed", "rsa"], result.Hops.Select(h => h.SealSelector));
        Assert.All(result.Hops, h => Assert.False(h.AuthenticationResults.StartsWith("i=", StringComparison.Ordinal)));
        Assert.All(result.Hops, h => Assert.Contains("=", h.AuthenticationResults, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dns_timeout_for_a_seal_key_is_a_temporary_fail()
    {
        var (zone, message) = LoadStalwart("002.txt");
        zone.AddTemporaryFailure("ed._domainkey.scamorza.org");

        var result = await new ArcValidator(zone).ValidateAsync(message);

        Assert.Equal(ArcChainStatus.Fail, result.Status);
        Assert.True(result.TemporaryFailure);
        Assert.Equal(1, result.FailedInstance);
        Assert.Contains("temperror", result.Reason, StringComparison.Ordinal);
        Assert.Equal(2, result.Hops.Count);
    }

    [Fact]
    public async Task Modified_body_breaks_the_newest_message_signature()
    {
        var (zone, raw) = LoadStalwartRaw("002.txt");
        var tampered = raw + "\r\nappended by a later hop\r\n";

        var result = await new ArcValidator(zone).ValidateAsync(MessageReader.Parse(Encoding.Latin1.GetBytes(tampered)));

        Assert.Equal(ArcChainStatus.Fail, result.Status);
        Assert.False(result.TemporaryFailure);
        Assert.Equal(2, result.FailedInstance);
        Assert.Contains("body hash", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_without_arc_headers_has_no_chain()
    {
        var vector = DkimVector.ById["rfc8463-A.3"];

        var result = await new ArcValidator(new DnsZone()).ValidateAsync(MessageReader.Parse(vector.MessageBytes()));

        Assert.Equal(ArcChainStatus.None, result.Status);
        Assert.Empty(result.Hops);
    }

    [Fact]
    public async Task Failing_suite_case_names_the_failing_instance()
    {
        var c = ArcSuiteTests.Cases.Single(x => x.Key == "cv_fail_i2_as1_invalid");
        var zone = new DnsZone();
        foreach (var (name, txt) in c.Keys)
        {
            zone.AddTxt(name, txt);
        }

        var result = await new ArcValidator(zone).ValidateAsync(MessageReader.Parse(Encoding.UTF8.GetBytes(c.Message)));

        Assert.Equal(ArcChainStatus.Fail, result.Status);
        Assert.Equal(1, result.FailedInstance);
        Assert.Equal(2, result.Hops.Count);
        Assert.True(result.Hops[1].SealValid);
        Assert.False(result.Hops[0].SealValid);
    }

    private static (DnsZone Zone, MimeKit.MimeMessage Message) LoadStalwart(string file)
    {
        var (zone, raw) = LoadStalwartRaw(file);
        return (zone, MessageReader.Parse(Encoding.Latin1.GetBytes(raw)));
    }

    private static (DnsZone Zone, string Raw) LoadStalwartRaw(string file)
    {
        var bytes = TestFiles.Bytes("arc", "stalwart-mail-auth", file);
        var zone = new DnsZone();
        foreach (var (name, txt) in DkimVector.DnsPreamble(bytes))
        {
            zone.AddTxt(name, txt);
        }

        var message = DkimVector.StripDnsPreamble(bytes, hasPreamble: true);
        return (zone, Encoding.Latin1.GetString(MessageReader.ToCrLf(message)));
    }
}
