using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Tests.Reporting;

/// <summary>Builds reportable verdicts for the reporting tests.</summary>
internal static class Verdicts
{
    public static readonly DateOnly Day = new(2026, 11, 21);

    public static PublishedPolicy Policy(string domain = "example.com", DmarcPolicy p = DmarcPolicy.Reject, DmarcPolicy? sp = null, DmarcPolicy? np = null, bool testing = false, params string[] rua) =>
        new(domain, $"v=DMARC1; p={p.ToString().ToLowerInvariant()}", p, sp, np, AlignmentMode.Relaxed, AlignmentMode.Relaxed, testing, PsdFlag.Unspecified, null, null,
            rua.Length == 0 ? ["mailto:dmarc@" + domain] : rua, [], DiscoveryMethod.TreeWalk);

    public static ReportableVerdict Pass(string ip = "198.51.100.7", string from = "example.com", PublishedPolicy? policy = null, int hour = 10, string key = "m") =>
        new(key, new DateTimeOffset(Day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero), ip, from, from, "receiver.example",
            DmarcResult.Pass, Disposition.None, DkimAligned: true, SpfAligned: true, [],
            [new DkimSignatureResult(DkimResult.Pass, from, "s1", "rsa-sha256")],
            new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, from),
            policy ?? Policy());

    public static ReportableVerdict Fail(string ip = "203.0.113.9", string from = "example.com", PublishedPolicy? policy = null, Disposition disposition = Disposition.Reject,
        IReadOnlyList<PolicyOverrideReason>? reasons = null, IReadOnlyList<DkimSignatureResult>? dkim = null, SpfCheckResult? spf = null, string? envelopeFrom = "bounce.other.example") =>
        new("m", new DateTimeOffset(Day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), ip, from, envelopeFrom, null,
            DmarcResult.Fail, disposition, DkimAligned: false, SpfAligned: false, reasons ?? [],
            dkim ?? [new DkimSignatureResult(DkimResult.Fail, "other.example", "sel", "rsa-sha256")],
            spf,
            policy ?? Policy());

    public static async IAsyncEnumerable<ReportableVerdict> Stream(IEnumerable<ReportableVerdict> verdicts)
    {
        foreach (var v in verdicts)
        {
            await Task.Yield();
            yield return v;
        }
    }
}
