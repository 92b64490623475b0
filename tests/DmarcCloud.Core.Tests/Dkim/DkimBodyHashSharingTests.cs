using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Mime;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>
/// Body hashes for several l= values and algorithms of one canonicalization are computed from one canonical body
/// (RFC 6376 §3.7: the hash of the first l= octets of the canonical body); each must equal the hash computed alone.
/// </summary>
public class DkimBodyHashSharingTests
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes(
        "From: a@example.com\r\nSubject: x\r\n\r\nHello  world \r\n\r\nsecond\t line\r\n\r\n\r\n");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_l_value_and_algorithm_gets_the_hash_of_its_own_prefix(bool relaxed)
    {
        var canonicalization = relaxed ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
        var body = RawMessage.Parse(Message).Body.Span;
        var canonical = DkimHasher.CanonicalizeBody(body, relaxed);
        using var hasher = new DkimHasher(RawMessage.Parse(Message));
        long?[] limits = [null, 5, 0, 12, 10_000];
        foreach (var algorithm in new[] { HashAlgorithmName.SHA256, HashAlgorithmName.SHA1 })
        {
            foreach (var limit in limits)
            {
                var signed = limit is { } l && l < canonical.Length ? canonical[..(int)l] : canonical;
                var expected = algorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(signed) : SHA1.HashData(signed);
                var actual = hasher.HashBody(canonicalization, algorithm, limit);
                Assert.Equal(Convert.ToBase64String(expected), Convert.ToBase64String(actual.Hash));
                Assert.Equal(canonical.Length, actual.CanonicalLength);
            }
        }
    }
}
