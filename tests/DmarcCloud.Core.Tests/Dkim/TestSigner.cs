using DmarcCloud.Core.Mime;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>Signs test messages with MimeKit's DkimSigner (an independent implementation of the signing side).</summary>
internal static class TestSigner
{
    public static readonly HeaderId[] Headers = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId];

    /// <summary>dkimpy/test.message signed with dkimpy/test.private (the RFC 8463 A.1 RSA key) as d=example.com s=test.</summary>
    public static byte[] SignDkimpyMessage(DkimCanonicalizationAlgorithm header, DkimCanonicalizationAlgorithm body)
    {
        var signer = new DkimSigner(TestFiles.PathOf("dkim", "dkimpy", "test.private"), "example.com", "test")
        {
            HeaderCanonicalizationAlgorithm = header,
            BodyCanonicalizationAlgorithm = body,
        };
        return Sign(TestFiles.Bytes("dkim", "dkimpy", "test.message"), signer);
    }

    /// <summary>dkimpy/test.message signed with dkimpy/ed25519test.key as d=example.net s=test.</summary>
    public static byte[] SignDkimpyMessageEd25519()
    {
        var seed = Convert.FromBase64String(TestFiles.Text("dkim", "dkimpy", "ed25519test.key").Trim());
        var signer = new DkimSigner(new Ed25519PrivateKeyParameters(seed), "example.net", "test", DkimSignatureAlgorithm.Ed25519Sha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        return Sign(TestFiles.Bytes("dkim", "dkimpy", "test.message"), signer);
    }

    public static byte[] Sign(byte[] raw, DkimSigner signer)
    {
        var message = MessageReader.Parse(raw);
        signer.Sign(message, Headers);
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }
}
