using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// The DKIM benchmark corpus under bench/corpus/dkim: five signed messages and the key records they need (dns.json),
/// shared with the mailauth comparison (scripts/bench-dkim.mjs). The files are committed; <see cref="Generate"/>
/// rebuilds them from the committed keys (rsa2048.pem was made once with openssl for this corpus only; rsa1024.pem
/// and ed25519.b64 are the RFC 8463 A.1 example keys). Message text is deterministic.
/// </summary>
internal static class DkimCorpus
{
    public static readonly string[] Messages = ["rsa2048.eml", "rsa1024.eml", "ed25519.eml", "multisig.eml", "large-200k.eml"];

    public static string Directory
    {
        get
        {
            // Above the binaries, else above the working directory (a copied build run from the repository root).
            DirectoryInfo? Find(string start)
            {
                var dir = new DirectoryInfo(start);
                while (dir is not null && !System.IO.Directory.Exists(Path.Combine(dir.FullName, "bench", "corpus", "dkim")))
                {
                    dir = dir.Parent;
                }

                return dir;
            }

            var dir = Find(AppContext.BaseDirectory) ?? Find(Environment.CurrentDirectory);

            return dir is null ? throw new DirectoryNotFoundException("bench/corpus/dkim not found above " + AppContext.BaseDirectory)
                : Path.Combine(dir.FullName, "bench", "corpus", "dkim");
        }
    }

    public static DnsZone Zone()
    {
        var zone = new DnsZone();
        var records = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Directory, "dns.json")))!;
        foreach (var (name, txt) in records)
        {
            zone.AddTxt(name, txt);
        }

        return zone;
    }

    public static void Generate()
    {
        var dir = Directory;
        using var rsa2048 = RSA.Create();
        rsa2048.ImportFromPem(File.ReadAllText(Path.Combine(dir, "rsa2048.pem")));
        using var rsa1024 = RSA.Create();
        rsa1024.ImportFromPem(File.ReadAllText(Path.Combine(dir, "rsa1024.pem")));
        var seed = Convert.FromBase64String(File.ReadAllText(Path.Combine(dir, "ed25519.b64")).Trim());
        var edPublic = new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded();

        var dns = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["s2048._domainkey.bench.example"] = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa2048.ExportSubjectPublicKeyInfo()),
            ["s1024._domainkey.bench.example"] = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa1024.ExportSubjectPublicKeyInfo()),
            ["ed._domainkey.bench.example"] = "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(edPublic),
        };
        File.WriteAllText(Path.Combine(dir, "dns.json"), JsonSerializer.Serialize(dns, new JsonSerializerOptions { WriteIndented = true }) + "\n");

        DkimSigner Rsa(string file, string selector) =>
            new(Path.Combine(dir, file), "bench.example", selector) { HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed, BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed };
        var ed = new DkimSigner(new Ed25519PrivateKeyParameters(seed), "bench.example", "ed", DkimSignatureAlgorithm.Ed25519Sha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };

        Write(dir, "rsa2048.eml", Message(Body(2_000)), Rsa("rsa2048.pem", "s2048"));
        Write(dir, "rsa1024.eml", Message(Body(2_000)), Rsa("rsa1024.pem", "s1024"));
        Write(dir, "ed25519.eml", Message(Body(2_000)), ed);
        Write(dir, "multisig.eml", Message(Body(2_000)), Rsa("rsa1024.pem", "s1024"), ed, Rsa("rsa2048.pem", "s2048"));
        Write(dir, "large-200k.eml", Message(Body(200 * 1024)), Rsa("rsa2048.pem", "s2048"));
    }

    private static MimeMessage Message(string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Bench Sender", "sender@bench.example"));
        message.To.Add(new MailboxAddress("Receiver", "receiver@example.net"));
        message.Subject = "DKIM verification benchmark";
        message.Date = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        message.MessageId = "bench@bench.example";
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>Deterministic plain text of about <paramref name="size"/> bytes, with trailing spaces and blank lines.</summary>
    private static string Body(int size)
    {
        string[] words = ["mail", "report", "domain", "alignment", "policy", "signature", "relaxed", "header", "the", "a", "of"];
        var text = new StringBuilder();
        uint state = 12345;
        var line = 0;
        while (text.Length < size)
        {
            state = (state * 1103515245) + 12345;
            text.Append(words[(state >> 16) % (uint)words.Length]);
            text.Append(((state >> 8) & 7) == 0 ? "  " : " ");
            if (((state >> 4) & 15) == 0)
            {
                text.Append(++line % 7 == 0 ? " \r\n\r\n" : "\r\n");
            }
        }

        return text.Append("\r\n").ToString();
    }

    private static void Write(string dir, string file, MimeMessage message, params DkimSigner[] signers)
    {
        HeaderId[] headers = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId];
        foreach (var signer in signers)
        {
            signer.Sign(message, headers);
        }

        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = File.Create(Path.Combine(dir, file));
        message.WriteTo(options, stream);
    }
}
