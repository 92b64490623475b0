using System.Net;
using System.Text;
using System.Text.Json;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using Microsoft.Extensions.Time.Testing;
using static DmarcCloud.Core.Tests.Dmarc.ConformanceData;

namespace DmarcCloud.Core.Tests.Evaluation;

/// <summary>The whole pipeline on real messages and zones: SPF + DKIM + DMARC, bad input, JSON, the rendered header.</summary>
public class MessageEvaluatorTests
{
    private static readonly FakeTimeProvider Time = new(DateTimeOffset.FromUnixTimeSeconds(1700000000));

    private static DnsZone SignedMessageZone() => new DnsZone()
        .AddTxt("test._domainkey.example.com", File.ReadAllText(PathOf("dmarc", "authheaders", "test.txt")).Trim().Trim('"'))
        .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com")
        .AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");

    private static SmtpEnvelope Envelope(string ip = "192.0.2.1", string? mailFrom = "bounce@example.com", string? helo = "mx.example.com") =>
        new(IPAddress.Parse(ip), helo, mailFrom, ["rcpt@example.net"], Time.GetUtcNow());

    private static byte[] Message(string name) => File.ReadAllBytes(PathOf("dmarc", "authheaders", name));

    [Fact]
    public async Task Signed_message_from_an_authorized_ip_passes_with_both_identifiers_aligned()
    {
        var verdict = await new MessageEvaluator(SignedMessageZone(), null, Time).EvaluateAsync(Envelope(), Message("test.message_signed"));
        Assert.Equal(DmarcResult.Pass, verdict.Result);
        Assert.True(verdict.SpfAligned);
        Assert.True(verdict.DkimAligned);
        Assert.Equal(SpfResult.Pass, verdict.Spf!.Result);
        Assert.Equal("example.com", verdict.HeaderFrom);
        Assert.Equal(DmarcPolicy.Reject, verdict.RequestedPolicy);
        Assert.Equal(Disposition.None, verdict.Disposition);
        Assert.Equal("example.com", verdict.Policy!.Domain);
        Assert.Contains(verdict.DmarcQueries, q => q.Name == "_dmarc.example.com" && q.Status == DnsResultStatus.Success);
        Assert.StartsWith("Authentication-Results: dmarccloud; spf=pass smtp.mailfrom=bounce@example.com; ", verdict.AuthenticationResults, StringComparison.Ordinal);
        Assert.Contains("dkim=pass (1024-bit key) header.d=example.com header.i=@example.com header.s=test header.a=rsa-sha256 header.b=", verdict.AuthenticationResults, StringComparison.Ordinal);
        Assert.EndsWith("dmarc=pass (p=reject dis=none) header.from=example.com policy.dmarc=reject", verdict.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spoofed_message_from_an_unauthorized_ip_is_rejected()
    {
        var verdict = await new MessageEvaluator(SignedMessageZone(), null, Time).EvaluateAsync(Envelope("203.0.113.9", "x@attacker.example"), Message("test.message"));
        Assert.Equal(DmarcResult.Fail, verdict.Result);
        Assert.Equal(Disposition.Reject, verdict.Disposition);
        Assert.Contains("dkim=none", verdict.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_reverse_path_uses_the_helo_identity_for_spf()
    {
        var zone = SignedMessageZone().AddTxt("mx.example.com", "v=spf1 ip4:192.0.2.1 -all");
        var verdict = await new MessageEvaluator(zone, null, Time).EvaluateAsync(Envelope(mailFrom: string.Empty), Message("test.message"));
        Assert.Equal("mx.example.com", verdict.Spf!.Domain);
        Assert.Equal(SpfResult.Pass, verdict.Spf.Result);
        Assert.True(verdict.SpfAligned);
        Assert.Equal(DmarcResult.Pass, verdict.Result);
    }

    public static TheoryData<string, string> BadInput() => new()
    {
        { "empty", string.Empty },
        { "no header block", "\r\n\r\nbody only" },
        { "binary", "\u0000\u0001\u0002\u00ff" },
        { "no From", "Subject: hi\r\n\r\nbody" },
        { "display name only", "From: \"Test User\"\r\n\r\nbody" },
        { "two From fields", "From: a@example.com\r\nFrom: b@example.com\r\n\r\nbody" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_never_throws_and_gives_permerror(string name, string text)
    {
        var verdict = await new MessageEvaluator(SignedMessageZone(), null, Time).EvaluateAsync(Envelope(), Encoding.Latin1.GetBytes(text));
        Assert.True(verdict.Result == DmarcResult.PermError, name);
        Assert.NotNull(verdict.HeaderFromProblem);
        Assert.Contains("dmarc=permerror", verdict.AuthenticationResults, StringComparison.Ordinal);
        Assert.Equal(Disposition.None, verdict.Disposition);
    }

    [Fact]
    public async Task Dns_outage_gives_temperror_in_the_verdict()
    {
        var zone = SignedMessageZone().AddTemporaryFailure("_dmarc.example.com");
        var verdict = await new MessageEvaluator(zone, null, Time).EvaluateAsync(Envelope("203.0.113.9"), Message("test.message"));
        Assert.Equal(DmarcResult.TempError, verdict.Result);
        Assert.Contains("timeout", verdict.DmarcReason, StringComparison.Ordinal);
        Assert.Contains("dmarc=temperror", verdict.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Psl_mode_reports_the_list_and_its_age()
    {
        var options = new MessageEvaluatorOptions { Dmarc = new DmarcEvaluatorOptions { DiscoveryMethod = DiscoveryMethod.Psl } };
        var december = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var verdict = await new MessageEvaluator(SignedMessageZone(), options, december).EvaluateAsync(Envelope(), Message("test.message_signed"));
        Assert.Equal(DiscoveryMethod.Psl, verdict.DiscoveryMethod);
        Assert.Equal(DiscoveryMethod.Psl, verdict.Policy!.DiscoveryMethod);
        Assert.Equal("embedded 2026-08-19", verdict.PublicSuffixList);
        Assert.Equal(104, verdict.PublicSuffixListAgeDays); // 2026-08-19 → 2026-12-01
    }

    [Fact]
    public async Task Verdict_json_uses_rfc_names()
    {
        var verdict = await new MessageEvaluator(SignedMessageZone(), null, Time).EvaluateAsync(Envelope("203.0.113.9", "x@attacker.example"), Message("test.message"));
        var json = JsonSerializer.Serialize(verdict, VerdictJsonContext.Default.Verdict);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("fail", root.GetProperty("result").GetString());
        Assert.Equal("reject", root.GetProperty("disposition").GetString());
        Assert.Equal("treewalk", root.GetProperty("discoveryMethod").GetString());
        Assert.Equal("203.0.113.9", root.GetProperty("envelope").GetProperty("clientIp").GetString());
        Assert.Equal("none", root.GetProperty("spf").GetProperty("result").GetString()); // attacker.example publishes no SPF
        Assert.Equal("mailfrom", root.GetProperty("spf").GetProperty("identity").GetString());
        Assert.Equal("reject", root.GetProperty("policy").GetProperty("p").GetString());
        Assert.Equal("txt", root.GetProperty("dmarcQueries")[0].GetProperty("type").GetString());
        Assert.False(root.TryGetProperty("headerFromProblem", out _));
        var roundTrip = JsonSerializer.Deserialize(json, VerdictJsonContext.Default.Verdict)!;
        Assert.Equal(verdict.Result, roundTrip.Result);
        Assert.Equal(verdict.Disposition, roundTrip.Disposition);
    }

    [Fact]
    public async Task Policy_test_mode_and_override_reasons_are_rendered()
    {
        var zone = new DnsZone().AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; t=y");
        var verdict = await new MessageEvaluator(zone, null, Time).EvaluateAsync(Envelope("203.0.113.9", "x@attacker.example"), Message("test.message"));
        Assert.Equal(Disposition.Quarantine, verdict.Disposition);
        Assert.Equal(DmarcPolicy.Quarantine, verdict.EffectivePolicy);
        Assert.Contains("dmarc=fail (p=reject dis=quarantine policy_test_mode) header.from=example.com policy.dmarc=reject", verdict.AuthenticationResults, StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(verdict, VerdictJsonContext.Default.Verdict);
        Assert.Contains("\"policy_test_mode\"", json, StringComparison.Ordinal);
    }
}
