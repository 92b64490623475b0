using System.Net;
using System.Text;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.OfflineDns;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Evaluation;

/// <summary>
/// authheaders end-to-end cases: real messages, a DNS table, the expected Authentication-Results header. Cases
/// that verify DKIM run the whole <see cref="MessageEvaluator"/>; cases whose DKIM results come from a previous
/// Authentication-Results header ("prev") feed those results to <see cref="DmarcEvaluator"/>, as upstream does.
/// Headers are compared by meaning (method, result, header.d, header.from, policy.dmarc); comment wording is
/// authheaders' own and not compared.
/// </summary>
public class AuthHeadersConformanceTests
{
    private const string Folder = "authheaders";

    /// <summary>Where authheaders disagrees with RFC 9989 the RFC result is expected (docs/conformance.md).</summary>
    private static readonly Dictionary<string, string> Rfc9989Dmarc = new(StringComparer.Ordinal)
    {
        // RFC 9989 §4.7: a term that is not tag=value is a syntax error that is discarded; "v=DMARC1; p=none; reject"
        // is a valid p=none record, so the unauthenticated message fails with policy none (authheaders: permerror).
        ["authheaders-dmarc-bad-record"] = "dmarc=fail header.from=bad.example.com policy.dmarc=none",
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in List(LoadYaml("dmarc", Folder, "authheaders-dmarc-cases.yml")["cases"]).Select(Map))
        {
            var dmarcbis = Map(c["options"]).GetValueOrDefault("dmarcbis") is "true";
            data.Add(Str(c, "id")!, "treewalk");
            if (!dmarcbis)
            {
                data.Add(Str(c, "id")!, "psl");
            }
        }

        return data;
    }

    [Fact]
    public void All_13_cases_are_loaded() =>
        Assert.Equal(13, List(LoadYaml("dmarc", Folder, "authheaders-dmarc-cases.yml")["cases"]).Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task End_to_end(string id, string mode)
    {
        var yaml = LoadYaml("dmarc", Folder, "authheaders-dmarc-cases.yml");
        var c = List(yaml["cases"]).Select(Map).Single(x => Str(x, "id") == id);
        var options = Map(c["options"]);
        var zone = BuildZone(Map(yaml["dns"]));
        var raw = File.ReadAllBytes(PathOf("dmarc", Folder, Str(c, "message")!));
        var method = mode == "psl" ? DiscoveryMethod.Psl : DiscoveryMethod.TreeWalk;
        var dmarcOptions = new DmarcEvaluatorOptions { DiscoveryMethod = method };
        var envelope = new SmtpEnvelope(IPAddress.Parse("192.0.2.1"), null, null, [], DateTimeOffset.UnixEpoch);
        var expected = IndependentAuthResults.Parse(Str(c, "expect")!).Results;

        Verdict verdict;
        var runDkim = options.GetValueOrDefault("dkim") is not "false";
        if (runDkim)
        {
            var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1700000000));
            var evaluator = new MessageEvaluator(zone, new MessageEvaluatorOptions { AuthServId = "example.com", Dmarc = dmarcOptions }, time);
            verdict = await evaluator.EvaluateAsync(envelope, raw);
        }
        else
        {
            var mime = MessageReader.Parse(raw);
            var fromFields = mime.Headers.Where(h => h.Id == HeaderId.From).Select(h => Encoding.UTF8.GetString(h.RawValue)).ToList();
            var author = AuthorDomain.Parse(fromFields);
            var dkim = Str(c, "prev") is { } prev
                ? AuthenticationResultsParser.Parse(prev).Results.Where(r => r.Method == "dkim")
                    .Select(r => new DkimSignatureResult(Enum.Parse<DkimResult>(r.Result, true), r.Property("header.d") ?? string.Empty, string.Empty, string.Empty, Identity: r.Property("header.i")))
                    .ToList()
                : [];
            var dmarc = await new DmarcEvaluator(zone, dmarcOptions).EvaluateAsync(new DmarcEvaluationInput(author, null, dkim));
            verdict = MessageEvaluator.BuildVerdict(envelope, DateTimeOffset.UnixEpoch, author, null, null, dkim, ArcValidationResult.NoChain, dmarc, dmarcOptions);
            verdict = verdict with { AuthenticationResults = VerdictAuthenticationResults.Render(verdict, "example.com") };
        }

        // Expected and actual are both read with MimeKit's parser, not the one under test.
        var parsedActual = IndependentAuthResults.Parse(verdict.AuthenticationResults);
        var actual = parsedActual.Results;
        Assert.Equal("example.com", parsedActual.AuthServId);

        // DKIM: every expected signature result, in order.
        var expectedDkim = expected.Where(e => e.Method == "dkim").ToList();
        var actualDkim = actual.Where(e => e.Method == "dkim" && e.Result != "none").ToList();
        Assert.Equal(expectedDkim.Count, actualDkim.Count);
        for (var i = 0; i < expectedDkim.Count; i++)
        {
            Assert.Equal(expectedDkim[i].Result, actualDkim[i].Result);
            Assert.Equal(expectedDkim[i].Property("header.d"), actualDkim[i].Property("header.d"));
        }

        var expectedDmarc = expected.SingleOrDefault(e => e.Method == "dmarc");
        if (Rfc9989Dmarc.TryGetValue(id, out var replacement))
        {
            expectedDmarc = IndependentAuthResults.Parse("x; " + replacement).Results.Single();
        }

        if (options.GetValueOrDefault("dmarc") is "false")
        {
            Assert.Null(expectedDmarc);
            return;
        }

        var actualDmarc = actual.Single(e => e.Method == "dmarc");
        Assert.NotNull(expectedDmarc);
        Assert.True(expectedDmarc.Result == actualDmarc.Result, $"{id} [{mode}]: expected dmarc={expectedDmarc.Result}, got {verdict.AuthenticationResults}");
        var from = expectedDmarc.Property("header.from");
        if (from is not null && from != "none")
        {
            Assert.Equal(from, actualDmarc.Property("header.from"));
        }

        if (expectedDmarc.Result is "pass" or "fail")
        {
            Assert.Equal(expectedDmarc.Property("policy.dmarc"), actualDmarc.Property("policy.dmarc"));
        }
    }

    private static DnsZone BuildZone(Dictionary<object, object> dns)
    {
        var zone = new DnsZone();
        foreach (var (k, v) in dns)
        {
            var name = (string)k;
            var entry = Map(v);
            if (Str(entry, "TXT") is { Length: > 0 } txt)
            {
                zone.AddTxt(name, txt);
            }

            // An empty TXT answer means "no DMARC record" (nothing is added, so the name stays NXDOMAIN).
            if (Str(entry, "exists") == "true")
            {
                zone.AddAddress(name, IPAddress.Parse("192.0.2.10"));
            }
        }

        return zone;
    }
}
