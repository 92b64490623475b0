using DmarcCloud.Core.Dkim;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>The pure DKIM-Signature tag parser (RFC 6376 §3.2, §3.5).</summary>
public class DkimSignatureTests
{
    private const string Valid = "v=1; a=rsa-sha256; c=relaxed/simple; d=Example.COM; s=sel; h=From : To; bh=AAAA; b=AA AA\r\n\tAA==; i=joe@sub.example.com; t=100; x=200; l=5";

    [Fact]
    public void Valid_signature_exposes_every_tag()
    {
        var result = DkimSignature.Parse(Valid);

        Assert.True(result.Success, result.Error);
        var sig = result.Value;
        Assert.Equal(DkimAlgorithm.RsaSha256, sig.Algorithm);
        Assert.Equal(DkimCanonicalization.Relaxed, sig.HeaderCanonicalization);
        Assert.Equal(DkimCanonicalization.Simple, sig.BodyCanonicalization);
        Assert.Equal("example.com", sig.Domain);
        Assert.Equal("sel", sig.Selector);
        Assert.Equal(["From", "To"], sig.SignedHeaders);
        Assert.Equal("AAAAAA==", sig.SignatureBase64);
        Assert.Equal("sub.example.com", sig.IdentityDomain);
        Assert.Equal((100L, 200L, 5L), (sig.Timestamp!.Value, sig.Expiration!.Value, sig.BodyLength!.Value));
    }

    [Theory]
    [InlineData("c=relaxed/simple; ", "c=relaxed; ", null)] // body part defaults to simple
    [InlineData("a=rsa-sha256", "a=ed25519-sha256", null)]
    [InlineData("a=rsa-sha256", "a=rsa-sha512", null)] // unknown algorithm parses; the verifier says neutral
    [InlineData("v=1", "v=2", "unsupported version")]
    [InlineData("v=1; ", "", "missing required tag v=")]
    [InlineData("s=sel; ", "", "missing required tag s=")]
    [InlineData("h=From : To", "h=To", "From")]
    [InlineData("b=AA AA\r\n\tAA==", "b=AAAAA", "b=")] // truncated base64
    [InlineData("bh=AAAA", "bh=", "bh=")]
    [InlineData("i=joe@sub.example.com", "i=joe@example.org", "not within d=")]
    [InlineData("x=200", "x=50", "x= is earlier than t=")]
    [InlineData("c=relaxed/simple", "c=fancy", "canonicalization")]
    [InlineData("l=5", "l=-5", "body length")]
    [InlineData("d=Example.COM", "d=exa mple.com", "signing domain")]
    [InlineData("; d=Example.COM", "; d=a; d=Example.COM", "duplicate tag")]
    [InlineData("; s=sel", ";; s=sel", "empty tag-spec")]
    public void Variants(string from, string to, string? error)
    {
        var result = DkimSignature.Parse(Valid.Replace(from, to, StringComparison.Ordinal));

        if (error is null)
        {
            Assert.True(result.Success, result.Error);
        }
        else
        {
            Assert.False(result.Success);
            Assert.Contains(error, result.Error, StringComparison.Ordinal);
        }
    }
}
