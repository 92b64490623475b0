using System.Globalization;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>
/// Writes the DMARC record to publish now: the starter record for a domain without one, or the next step on the
/// staged path none → quarantine (testing, then in force) → reject (testing, then in force), keeping the owner's
/// other tags. Records are composed from <see cref="DmarcRecord"/> values; nothing is parsed here.
/// </summary>
/// <remarks>
/// RFC 9989 §4.7: <c>t=y</c> asks receivers to apply the policy one level lower (reject → quarantine,
/// quarantine → none); <c>pct</c>, <c>rf</c> and <c>ri</c> are historic and left out. For receivers still on
/// RFC 7489, testing records also carry <c>pct=0</c> (RFC 7489 §6.6.4: mail not selected gets the next lower
/// policy), so the test is a test for both generations, and an optional <c>pct</c> ramp is offered. RFC 9990 §2.4:
/// a report mailbox outside the domain's organization needs <c>&lt;domain&gt;._report._dmarc.&lt;mailbox domain&gt;</c>.
/// </remarks>
public static class DmarcRecordGenerator
{
    /// <summary>The RFC 7489 <c>pct</c> values the optional ramp goes through before the full policy.</summary>
    public static readonly IReadOnlyList<int> PctRampSteps = [10, 50];

    /// <summary>The stage a record puts its domain at; null is <see cref="RolloutStage.NoPolicy"/>.</summary>
    public static RolloutStage StageOf(DmarcRecord? record)
    {
        if (record is null)
        {
            return RolloutStage.NoPolicy;
        }

        var testing = record.Testing || record.Pct == 0;
        var partial = record.Pct is > 0 and < 100;
        return record.Policy switch
        {
            DmarcPolicy.None => RolloutStage.Monitor,
            DmarcPolicy.Quarantine => testing ? RolloutStage.QuarantineTesting : partial ? RolloutStage.QuarantinePartial : RolloutStage.Quarantine,
            _ => testing ? RolloutStage.RejectTesting : partial ? RolloutStage.RejectPartial : RolloutStage.Reject,
        };
    }

    /// <summary>The starter record for a domain without DMARC: <c>p=none</c> with reports to <paramref name="reportMailbox"/>.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="reportMailbox">The platform's report mailbox; null sends reports to <c>dmarc-reports@&lt;domain&gt;</c>.</param>
    public static GeneratedPolicy Starter(string domain, string? reportMailbox)
    {
        domain = DnsName.Normalize(domain);
        var mailbox = MailboxFor(domain, reportMailbox);
        var text = $"v=DMARC1; p=none; rua=mailto:{mailbox}";
        return new GeneratedPolicy(
            RolloutStage.NoPolicy,
            RolloutStage.Monitor,
            [RecordFix.Txt("_dmarc." + domain, text), .. AuthorizationRecords(domain, [mailbox])],
            "Monitoring: receivers apply no policy and send daily aggregate reports, which show every source sending as the domain. "
            + "Keep it until the reports show all legitimate sources passing (often 30–90 days).",
            []);
    }

    /// <summary>The record one step stricter than <paramref name="current"/> (the starter record when there is none).</summary>
    public static GeneratedPolicy NextStep(string domain, DmarcRecord? current, string? reportMailbox)
    {
        if (current is null)
        {
            return Starter(domain, reportMailbox);
        }

        domain = DnsName.Normalize(domain);
        var from = StageOf(current);
        return from switch
        {
            RolloutStage.Monitor => Step(domain, current, reportMailbox, from, RolloutStage.QuarantineTesting, DmarcPolicy.Quarantine, testing: true, pct: 0, ramp: false,
                "Quarantine in testing mode: RFC 9989 receivers apply it one level lower (t=y → none) and RFC 7489 receivers select 0% (pct=0 → none); "
                + "reports mark the mail that quarantine would catch."),
            RolloutStage.QuarantineTesting => Step(domain, current, reportMailbox, from, RolloutStage.Quarantine, DmarcPolicy.Quarantine, testing: false, pct: null, ramp: true,
                "Quarantine in force: failing mail goes to junk at every receiver."),
            RolloutStage.QuarantinePartial => Ramp(domain, current, reportMailbox, from, DmarcPolicy.Quarantine),
            RolloutStage.Quarantine => Step(domain, current, reportMailbox, from, RolloutStage.RejectTesting, DmarcPolicy.Reject, testing: true, pct: 0, ramp: false,
                "Reject in testing mode: receivers still quarantine (t=y one level lower; pct=0 the next lower policy) and reports show what reject would refuse."),
            RolloutStage.RejectTesting => Step(domain, current, reportMailbox, from, RolloutStage.Reject, DmarcPolicy.Reject, testing: false, pct: null, ramp: true,
                "Reject in force: receivers refuse failing mail."),
            RolloutStage.RejectPartial => Ramp(domain, current, reportMailbox, from, DmarcPolicy.Reject),
            _ => Step(domain, current, reportMailbox, from, RolloutStage.Reject, DmarcPolicy.Reject, testing: false, pct: null, ramp: false,
                "Already at p=reject: the end of the path. The record is written without historic tags"
                + (current.Np is null && current.SubdomainPolicy != DmarcPolicy.Reject
                    ? $"; sp={Name(current.SubdomainPolicy)} also covers non-existent subdomains: consider np=reject so that mail from names that do not exist is refused."
                    : ".")),
        };
    }

    /// <summary>
    /// <paramref name="current"/> rewritten with another policy: its <c>sp</c>, <c>np</c>, alignment, <c>psd</c>,
    /// <c>ruf</c> and <c>fo</c> kept, historic <c>rf</c>/<c>ri</c> and unusable report URIs dropped, and a <c>rua</c>
    /// to <paramref name="reportMailbox"/> (or <c>dmarc-reports@domain</c>) added when there is no usable one.
    /// </summary>
    public static string Compose(string domain, DmarcRecord current, DmarcPolicy policy, bool testing, int? pct, string? reportMailbox)
    {
        ArgumentNullException.ThrowIfNull(current);
        var tags = new List<string> { "v=DMARC1", "p=" + Name(policy) };
        if (current.Sp is { } sp && !current.PolicyDefaultedToNone)
        {
            tags.Add("sp=" + Name(sp));
        }

        if (current.Np is { } np && !current.PolicyDefaultedToNone)
        {
            tags.Add("np=" + Name(np));
        }

        if (current.Adkim == AlignmentMode.Strict)
        {
            tags.Add("adkim=s");
        }

        if (current.Aspf == AlignmentMode.Strict)
        {
            tags.Add("aspf=s");
        }

        if (current.Psd is not PsdFlag.Unspecified)
        {
            tags.Add("psd=" + RfcName.Of(current.Psd));
        }

        if (testing)
        {
            tags.Add("t=y");
        }

        if (pct is { } p)
        {
            tags.Add("pct=" + p.ToString(CultureInfo.InvariantCulture));
        }

        var rua = current.Rua.Where(u => u.IsValid).Select(u => u.Uri).ToList();
        if (rua.Count == 0)
        {
            rua.Add("mailto:" + MailboxFor(DnsName.Normalize(domain), reportMailbox));
        }

        tags.Add("rua=" + string.Join(',', rua));
        var ruf = current.Ruf.Where(u => u.IsValid).Select(u => u.Uri).ToList();
        if (ruf.Count > 0)
        {
            tags.Add("ruf=" + string.Join(',', ruf));
        }

        if (current.FoPublished)
        {
            tags.Add("fo=" + current.Fo);
        }

        return string.Join("; ", tags);
    }

    /// <summary>
    /// The authorization records <paramref name="domain"/>'s reports need at each mailbox outside its organization
    /// (judged by name: a mailbox in the domain, a parent or a child of it needs none). The checker verifies them in DNS.
    /// </summary>
    public static IReadOnlyList<RecordFix> AuthorizationRecords(string domain, IEnumerable<string> mailboxes)
    {
        ArgumentNullException.ThrowIfNull(mailboxes);
        domain = DnsName.Normalize(domain);
        var fixes = new List<RecordFix>();
        foreach (var mailbox in mailboxes)
        {
            var at = mailbox.LastIndexOf('@');
            var host = DnsName.Normalize(mailbox[(at + 1)..]);
            if (at < 0 || SameTree(domain, host) || fixes.Any(f => f.Name.EndsWith("._report._dmarc." + host, StringComparison.Ordinal)))
            {
                continue;
            }

            fixes.Add(AuthorizationRecord(domain, host));
        }

        return fixes;
    }

    /// <summary>The record <paramref name="destinationDomain"/> publishes to accept reports about <paramref name="policyDomain"/>.</summary>
    public static RecordFix AuthorizationRecord(string policyDomain, string destinationDomain) => RecordFix.Txt(
        $"{DnsName.Normalize(policyDomain)}._report._dmarc.{DnsName.Normalize(destinationDomain)}",
        "v=DMARC1",
        $"published in the zone of {DnsName.Normalize(destinationDomain)} by whoever runs that mailbox (for DmarcCloud's mailbox: the platform operator; *._report._dmarc.{DnsName.Normalize(destinationDomain)} covers every domain)");

    private static GeneratedPolicy Step(string domain, DmarcRecord current, string? reportMailbox, RolloutStage from, RolloutStage to, DmarcPolicy policy, bool testing, int? pct, bool ramp, string explanation)
    {
        var text = Compose(domain, current, policy, testing, pct, reportMailbox);
        var pctRamp = ramp
            ? PctRampSteps.Select(p => RecordFix.Txt("_dmarc." + domain, Compose(domain, current, policy, testing: false, p, reportMailbox),
                $"RFC 7489 receivers apply {Name(policy)} to {p}% of failing mail; RFC 9989 receivers ignore pct and apply it to all")).ToArray()
            : [];
        return new GeneratedPolicy(from, to, [RecordFix.Txt("_dmarc." + domain, text), .. NewAuthorizations(domain, current, text, reportMailbox)], explanation, pctRamp);
    }

    private static GeneratedPolicy Ramp(string domain, DmarcRecord current, string? reportMailbox, RolloutStage from, DmarcPolicy policy)
    {
        var next = PctRampSteps.FirstOrDefault(p => p > current.Pct);
        if (next == 0)
        {
            return Step(domain, current, reportMailbox, from, policy == DmarcPolicy.Reject ? RolloutStage.Reject : RolloutStage.Quarantine, policy, false, null, false,
                $"The pct ramp is done: {Name(policy)} in force for all failing mail at every receiver.");
        }

        var text = Compose(domain, current, policy, testing: false, next, reportMailbox);
        return new GeneratedPolicy(from, from, [RecordFix.Txt("_dmarc." + domain, text), .. NewAuthorizations(domain, current, text, reportMailbox)],
            $"Next pct step: RFC 7489 receivers apply {Name(policy)} to {next}% of failing mail (RFC 9989 receivers already apply it to all).", []);
    }

    /// <summary>An authorization record only for a mailbox the generator added (the owner's own rua are the checker's business).</summary>
    private static IReadOnlyList<RecordFix> NewAuthorizations(string domain, DmarcRecord current, string text, string? reportMailbox) =>
        current.HasValidRua || !text.Contains("rua=mailto:", StringComparison.Ordinal) ? [] : AuthorizationRecords(domain, [MailboxFor(domain, reportMailbox)]);

    private static string MailboxFor(string domain, string? reportMailbox)
    {
        if (string.IsNullOrWhiteSpace(reportMailbox))
        {
            return "dmarc-reports@" + domain;
        }

        var mailbox = reportMailbox.Trim();
        return mailbox.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? mailbox["mailto:".Length..] : mailbox;
    }

    private static bool SameTree(string a, string b) =>
        a == b || a.EndsWith("." + b, StringComparison.Ordinal) || b.EndsWith("." + a, StringComparison.Ordinal);

    private static string Name(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.None => "none",
        DmarcPolicy.Quarantine => "quarantine",
        _ => "reject",
    };
}
