using System.Text.Json;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace DmarcCloud.Functions.Tests.Samples;

/// <summary>
/// The demo samples hold what the manifest says, checked with MimeKit's DKIM and ARC verifiers (independent of
/// DmarcCloud's own) against samples/dns/demo.zone.
/// </summary>
public class SampleMailTests
{
    public static TheoryData<string> Files() => [.. Manifest().Select(s => s.File)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task The_author_domain_signature_verifies_as_the_manifest_says(string file)
    {
        var sample = Manifest().Single(s => s.File == file);
        var bytes = await File.ReadAllBytesAsync(RepositoryPaths.Combine("samples", "mail", file));
        var zone = Zone();

        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(bytes));
        }
        catch (FormatException)
        {
            Assert.Equal("none", sample.ExpectDkim);
            return;
        }

        var authors = message.From.Mailboxes.Select(m => m.Domain.ToLowerInvariant()).Distinct().ToList();
        var verifier = new DkimVerifier(new ZoneKeyLocator(zone));
        string outcome = "none";
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var domain = header.Value.Split(';').Select(t => t.Trim()).Single(t => t.StartsWith("d=", StringComparison.Ordinal))[2..];
            if (authors.Count == 1 && domain == authors[0])
            {
                outcome = await verifier.VerifyAsync(message, header) ? "pass" : "fail";
            }
        }

        Assert.Equal(sample.ExpectDkim, outcome);
        Assert.All(new[] { sample.ExpectDmarc }, e => Assert.Contains(e, new[] { "pass", "fail", "none", "permerror" }));
    }

    [Fact]
    public async Task The_list_sample_carries_a_valid_arc_set()
    {
        var message = await MimeMessage.LoadAsync(RepositoryPaths.Combine("samples", "mail", "05-forwarded-list-arc.eml"));
        var verifier = new ArcVerifier(new ZoneKeyLocator(Zone()));

        var result = await verifier.VerifyAsync(message);

        Assert.Equal(ArcSignatureValidationResult.Pass, result.Chain);
    }

    [Fact]
    public async Task The_demo_zone_parses_without_errors()
    {
        var parsed = ZoneFileParser.Parse(File.ReadAllText(RepositoryPaths.Combine("samples", "dns", "demo.zone")));
        Assert.Empty(parsed.Errors);
        Assert.Equal(DnsResultStatus.Success, (await parsed.Zone.LookupTxtAsync("_dmarc.sender.example")).Status);
    }

    internal static List<SampleMail> Manifest() =>
        JsonSerializer.Deserialize<List<SampleMail>>(File.ReadAllText(RepositoryPaths.Combine("samples", "mail", "manifest.json")), SampleJson.Options)!;

    private static DnsZone Zone() => ZoneFileParser.Parse(File.ReadAllText(RepositoryPaths.Combine("samples", "dns", "demo.zone"))).Zone;
}
