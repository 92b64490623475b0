using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Mime;
using YamlDotNet.RepresentationModel;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>The body-hash vectors of TestData/dkim/mailauth/body-hash-cases.yml (postalsys/mailauth).</summary>
public class DkimBodyHashTests
{
    public static TheoryData<string> CaseIds() =>
        new(Cases().Where(c => c.Scalar("expect_bh") is not null).Select(c => c.Scalar("id")!));

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Body_hash_matches(string id)
    {
        var c = Cases().Single(x => x.Scalar("id") == id);
        var body = Body(c);
        var relaxed = c.Scalar("canon") == "relaxed";
        var algorithm = c.Scalar("hash") == "sha1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        long? limit = c.Scalar("l") is { } l && l != "null" ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : null;

        var canonical = DkimHasher.CanonicalizeBody(body, relaxed);
        var signed = canonical.AsSpan(0, (int)Math.Min(limit ?? long.MaxValue, canonical.Length));

        if (c.Scalar("expect_hashed_bytes") is { } expectedBytes)
        {
            Assert.Equal(expectedBytes, Encoding.Latin1.GetString(signed));
        }

        Assert.Equal(c.Scalar("expect_bh"), Convert.ToBase64String(CryptographicOperations.HashData(algorithm, signed)));
    }

    [Fact]
    public void Relaxed_canonicalization_is_the_same_for_every_split_of_the_input()
    {
        // mailauth issue #115 was a streaming bug; our canonicalizer works on the whole body, but a body that reaches
        // the verifier through MimeKit must canonicalize the same whichever way its bytes were chunked when parsed.
        var body = Encoding.Latin1.GetBytes("\r\n Hello\r\nWorld\r\nContent\there\r\nEnd\r\n");
        var expected = Convert.ToBase64String(SHA256.HashData(DkimHasher.CanonicalizeBody(body, relaxed: true)));
        var message = "From: a@example.com\r\n\r\n"u8.ToArray().Concat(body).ToArray();
        for (var split = 1; split < message.Length; split++)
        {
            using var stream = new ChunkedStream(message, split);
            var hasher = new DkimHasher(MessageReader.Parse(stream));
            Assert.Equal(expected, Convert.ToBase64String(hasher.HashBody(DkimCanonicalization.Relaxed, HashAlgorithmName.SHA256, null).Hash));
        }

        Assert.Equal("\r\n Hello\r\nWorld\r\nContent here\r\nEnd\r\n", Encoding.Latin1.GetString(DkimHasher.CanonicalizeBody(body, relaxed: true)));
    }

    private static byte[] Body(YamlMappingNode c)
    {
        if (c.Scalar("body_bytes") is { } literal)
        {
            // Bare LF in a vector is a line end, as for LF-stored messages (the reader turns it into CRLF).
            return MessageReader.ToCrLf(Encoding.Latin1.GetBytes(literal));
        }

        var file = MessageReader.ToCrLf(TestFiles.Bytes("dkim", "mailauth", c.Scalar("body_file")!));
        var start = file.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        return file[start..];
    }

    private static IEnumerable<YamlMappingNode> Cases() =>
        ((YamlSequenceNode)TestFiles.YamlDocuments("dkim", "mailauth", "body-hash-cases.yml")[0].Child("cases")!).Children.Cast<YamlMappingNode>();

    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
