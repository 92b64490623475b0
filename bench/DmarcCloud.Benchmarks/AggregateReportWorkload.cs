using System.Diagnostics;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// A day of one large policy domain: <c>count</c> verdicts generated on the fly (nothing held), spread over
/// 5,000 source IPs, 3 envelope recipients, pass/fail mixes and two DKIM signers, like a big sender's traffic.
/// </summary>
public static class AggregateReportWorkload
{
    public static readonly DateOnly Day = new(2026, 11, 21);

    public static readonly PublishedPolicy Policy = new(
        "bigsender.example", "v=DMARC1; p=reject; rua=mailto:dmarc@bigsender.example", DmarcPolicy.Reject, null, null,
        AlignmentMode.Relaxed, AlignmentMode.Relaxed, false, PsdFlag.Unspecified, null, null, ["mailto:dmarc@bigsender.example"], [], DiscoveryMethod.TreeWalk);

    public static readonly ReportingOrganization Organization = new("Bench Receiver", "dmarc@receiver.example", "receiver.example");

    public static async IAsyncEnumerable<ReportableVerdict> Verdicts(int count)
    {
        var start = new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var dkimPass = new DkimSignatureResult[] { new(DkimResult.Pass, "bigsender.example", "s2026", "rsa-sha256"), new(DkimResult.Pass, "esp.example", "k1", "rsa-sha256") };
        var dkimFail = new DkimSignatureResult[] { new(DkimResult.Fail, "bigsender.example", "s2026", "rsa-sha256") };
        var spfPass = new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, "bounce.bigsender.example");
        var spfFail = new SpfCheckResult(SpfResult.SoftFail, SpfIdentity.MailFrom, "forwarder.example");
        string[] recipients = ["receiver.example", "mail.receiver.example", "alumni.receiver.example"];
        for (var i = 0; i < count; i++)
        {
            var ip = $"{20 + (i % 5000) / 250}.{(i % 5000) % 250}.{i % 7}.1";
            var pass = i % 20 != 0;
            yield return new ReportableVerdict(
                "m" + i, start.AddSeconds(i % 86_400), ip, "bigsender.example", pass ? "bounce.bigsender.example" : "forwarder.example",
                recipients[i % 3], pass ? DmarcResult.Pass : DmarcResult.Fail, pass ? Disposition.None : Disposition.Reject,
                pass, pass, [], pass ? dkimPass : dkimFail, pass ? spfPass : spfFail, Policy);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Builds and packages the report for <paramref name="count"/> verdicts; prints the time and sizes.</summary>
    public static async Task<int> RunAsync(int count)
    {
        var stopwatch = Stopwatch.StartNew();
        var contents = await new AggregateReportBuilder().BuildAsync(Verdicts(count), Day).ConfigureAwait(false);
        var built = stopwatch.Elapsed;
        var files = contents.SelectMany(c => new AggregateReportPackager(Organization, AggregateReportFormat.Rfc9990).Package(c)).ToList();
        stopwatch.Stop();
        Console.WriteLine(
            $"verdicts={count} rows={contents.Sum(c => c.Rows.Count)} messages={contents.Sum(c => c.MessageCount)} parts={files.Count} " +
            $"gzipBytes={files.Sum(f => f.Content.Length)} groupSeconds={built.TotalSeconds:F2} totalSeconds={stopwatch.Elapsed.TotalSeconds:F2} " +
            $"peakWorkingSetMB={Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)}");
        return files.Sum(f => (int)f.MessageCount) == count ? 0 : 1;
    }
}
