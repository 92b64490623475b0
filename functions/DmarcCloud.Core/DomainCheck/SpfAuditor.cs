using System.Text;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>
/// The SPF part of the domain check: the record parsed by <see cref="SpfRecord.Parse"/>, then its include and
/// redirect tree fetched and the RFC 7208 §4.6.4 limits counted over the whole tree, as for a sender that matches
/// no term (the worst case every receiver can hit).
/// </summary>
/// <remarks>
/// RFC 7208 §3.1 (TXT only), §3.4 (answer size), §4.5 (one record), §4.6 (syntax), §4.6.4 (10 DNS-querying terms,
/// 2 void lookups, 10 MX names), §5.1 (<c>all</c>), §5.2 (include), §5.5 (ptr), §6.1 (redirect).
/// </remarks>
internal static class SpfAuditor
{
    private const int LookupLimit = 10;
    private const int VoidLimit = 2;

    public static async Task<SpfAudit> AuditAsync(RecordingDnsResolver dns, string domain, DomainCheckOptions options, List<CheckFinding> findings, CancellationToken cancellationToken)
    {
        var rootAnswer = await dns.LookupTxtAsync(domain, cancellationToken).ConfigureAwait(false);
        var answerBytes = EstimateAnswerBytes(domain, rootAnswer);
        var walker = new Walker(dns, options, findings, cancellationToken);
        var tree = await walker.NodeAsync(domain, null, [], isRoot: true).ConfigureAwait(false);

        if (tree.Status == "ok")
        {
            var lookups = tree.TotalDnsLookups;
            if (lookups > LookupLimit)
            {
                findings.Add(new CheckFinding("spf.too-many-lookups", FindingSeverity.Error, CheckArea.Spf, domain,
                    $"The SPF tree needs {lookups} DNS-querying terms (include, a, mx, ptr, exists, redirect); receivers stop at {LookupLimit} and return permerror. Flatten includes or drop unused ones.",
                    "RFC 7208 §4.6.4"));
            }
            else if (lookups >= LookupLimit - 1)
            {
                findings.Add(new CheckFinding("spf.near-lookup-limit", FindingSeverity.Warning, CheckArea.Spf, domain,
                    $"The SPF tree needs {lookups} of the {LookupLimit} DNS-querying terms allowed: one more include breaks SPF.", "RFC 7208 §4.6.4"));
            }

            if (tree.TotalVoidLookups > VoidLimit)
            {
                findings.Add(new CheckFinding("spf.void-lookups", FindingSeverity.Error, CheckArea.Spf, domain,
                    $"{tree.TotalVoidLookups} terms in the SPF tree name hosts that do not exist or have no address/MX; receivers allow {VoidLimit} and then return permerror.",
                    "RFC 7208 §4.6.4"));
            }
        }

        if (answerBytes > options.MaxUdpAnswerBytes)
        {
            findings.Add(new CheckFinding("spf.oversize-answer", FindingSeverity.Warning, CheckArea.Spf, domain,
                $"The TXT answer for {domain} is about {answerBytes} octets, over the {options.MaxUdpAnswerBytes} of classic UDP DNS: receivers must retry over TCP or EDNS, and some fail. Shorten the records at {domain}.",
                "RFC 7208 §3.4"));
        }

        if (dns.SupportsSpfType)
        {
            var spfType = await dns.LookupSpfTypeAsync(domain, cancellationToken).ConfigureAwait(false);
            if (spfType.Status == DnsResultStatus.Success)
            {
                findings.Add(new CheckFinding("spf.deprecated-rr-type", FindingSeverity.Warning, CheckArea.Spf, domain,
                    $"A record of the retired DNS type SPF (99) is published at {domain}: receivers read TXT only. Delete it and keep the TXT record"
                    + (spfType.Records.Any(r => r.Text != tree.Record) ? " (it differs from the TXT record, which is the one that counts)." : "."),
                    "RFC 7208 §3.1"));
            }
        }

        return new SpfAudit(tree.Record, tree, tree.TotalDnsLookups, tree.TotalVoidLookups, answerBytes);
    }

    /// <summary>Header, question and one uncompressed-pointer answer per TXT record (RFC 1035 §4.1).</summary>
    internal static int EstimateAnswerBytes(string name, DnsResult<TxtRecord> answer)
    {
        var qname = DnsName.Normalize(name).Split('.').Sum(l => l.Length + 1) + 1;
        var size = 12 + qname + 4;
        foreach (var record in answer.Records)
        {
            size += 2 + 10 + record.Strings.Sum(s => 1 + Encoding.UTF8.GetByteCount(s));
        }

        return size;
    }

    private sealed class Walker(RecordingDnsResolver dns, DomainCheckOptions options, List<CheckFinding> findings, CancellationToken cancellationToken)
    {
        public async Task<SpfTreeNode> NodeAsync(string domain, string? via, IReadOnlyList<string> chain, bool isRoot)
        {
            var answer = await dns.LookupTxtAsync(domain, cancellationToken).ConfigureAwait(false);
            var reference = via is null ? domain : $"{domain} ({via})";
            if (answer.Status == DnsResultStatus.TemporaryFailure)
            {
                findings.Add(new CheckFinding("spf.temperror", FindingSeverity.Error, CheckArea.Spf, domain,
                    $"DNS did not answer for the SPF record of {reference} ({answer.Error}): receivers get temperror now. This is not the same as having no record.",
                    "RFC 7208 §4.4"));
                return Leaf(domain, via, null, "temperror", answer.Error);
            }

            var records = answer.Records.Select(r => r.Text).Where(SpfRecord.IsSpfRecord).ToList();
            if (records.Count == 0)
            {
                if (isRoot)
                {
                    findings.Add(new CheckFinding("spf.missing", FindingSeverity.Warning, CheckArea.Spf, domain,
                        $"No SPF record at {domain}: DMARC can pass only through DKIM, and receivers cannot tell your servers from others.",
                        "RFC 7208 §4.5",
                        [RecordFix.Txt(domain, "v=spf1 mx -all", "list every service that sends as the domain (ip4:, ip6:, include:) before -all; publish 'v=spf1 -all' if it sends no mail")]));
                }
                else
                {
                    findings.Add(new CheckFinding(via!.StartsWith("redirect", StringComparison.Ordinal) ? "spf.redirect-none" : "spf.include-none", FindingSeverity.Error, CheckArea.Spf, domain,
                        $"{via} points to {domain}, which has no SPF record: receivers return permerror for every message.",
                        via.StartsWith("redirect", StringComparison.Ordinal) ? "RFC 7208 §6.1" : "RFC 7208 §5.2"));
                }

                return Leaf(domain, via, null, "none", $"{domain} has no SPF record");
            }

            if (records.Count > 1)
            {
                findings.Add(new CheckFinding("spf.multiple", FindingSeverity.Error, CheckArea.Spf, domain,
                    $"{records.Count} SPF records at {reference}: receivers return permerror. Merge them into one.", "RFC 7208 §4.5"));
                return Leaf(domain, via, null, "multiple", $"{records.Count} SPF records");
            }

            var parsed = SpfRecord.Parse(records[0]);
            if (parsed.Record is not { } record)
            {
                findings.Add(new CheckFinding("spf.syntax", FindingSeverity.Error, CheckArea.Spf, domain,
                    $"The SPF record of {reference} is malformed ({parsed.Error}): receivers return permerror.", "RFC 7208 §4.6"));
                return Leaf(domain, via, records[0], "malformed", parsed.Error);
            }

            return await RecordNodeAsync(domain, via, record, [.. chain, domain], isRoot).ConfigureAwait(false);
        }

        private async Task<SpfTreeNode> RecordNodeAsync(string domain, string? via, SpfRecord record, IReadOnlyList<string> chain, bool isRoot)
        {
            var lookups = 0;
            var voids = 0;
            var children = new List<SpfTreeNode>();
            foreach (var mechanism in record.Mechanisms)
            {
                if (mechanism.CountsAsDnsLookup)
                {
                    lookups++;
                }

                switch (mechanism.Kind)
                {
                    case SpfMechanismKind.All when mechanism.Qualifier == SpfQualifier.Pass:
                        findings.Add(new CheckFinding("spf.pass-all", FindingSeverity.Error, CheckArea.Spf, domain,
                            $"'{mechanism.Text}' in the SPF record of {domain} authorizes every host on the Internet to send as the domain.", "RFC 7208 §5.1"));
                        break;
                    case SpfMechanismKind.All when mechanism.Qualifier == SpfQualifier.Neutral && chain.Count == 1:
                        findings.Add(new CheckFinding("spf.neutral-all", FindingSeverity.Warning, CheckArea.Spf, domain,
                            $"'{mechanism.Text}': mail from unlisted hosts gets neutral, which protects nothing. End with ~all or -all.", "RFC 7208 §2.6.2"));
                        break;
                    case SpfMechanismKind.Ptr:
                        findings.Add(new CheckFinding("spf.ptr", FindingSeverity.Warning, CheckArea.Spf, domain,
                            $"'{mechanism.Text}' in the SPF record of {domain}: ptr is slow, unreliable and 'SHOULD NOT be published'; list the addresses instead.", "RFC 7208 §5.5"));
                        break;
                    case SpfMechanismKind.Include:
                        children.Add(await FollowAsync(mechanism.DomainSpec!, "include:" + mechanism.DomainSpec, chain).ConfigureAwait(false));
                        break;
                    case SpfMechanismKind.A:
                    case SpfMechanismKind.Mx:
                        voids += await CountVoidAsync(domain, mechanism).ConfigureAwait(false);
                        break;
                }
            }

            if (record.Redirect is { } redirect)
            {
                lookups++;
                if (record.Mechanisms.Any(m => m.Kind == SpfMechanismKind.All))
                {
                    findings.Add(new CheckFinding("spf.redirect-ignored", FindingSeverity.Warning, CheckArea.Spf, domain,
                        $"redirect={redirect} is never used: the record of {domain} has an 'all' term, which always matches first.", "RFC 7208 §6.1"));
                }
                else
                {
                    children.Add(await FollowAsync(redirect, "redirect=" + redirect, chain).ConfigureAwait(false));
                }
            }
            else if (isRoot && !record.Mechanisms.Any(m => m.Kind == SpfMechanismKind.All))
            {
                findings.Add(new CheckFinding("spf.no-all", FindingSeverity.Warning, CheckArea.Spf, domain,
                    $"The SPF record of {domain} ends without an 'all' term: mail from unlisted hosts gets neutral. End with ~all or -all.", "RFC 7208 §4.7"));
            }

            return new SpfTreeNode(domain, via, record.Text, "ok", null, lookups, voids, children);
        }

        private async Task<SpfTreeNode> FollowAsync(string spec, string via, IReadOnlyList<string> chain)
        {
            if (spec.Contains('%', StringComparison.Ordinal))
            {
                // The target depends on the sender or client (RFC 7208 §7): nothing to fetch without a message.
                return Leaf(spec, via, null, "macro", "the name depends on the message (macros) and is not followed");
            }

            var target = DnsName.Normalize(spec);
            if (chain.Contains(target, StringComparer.Ordinal))
            {
                findings.Add(new CheckFinding("spf.loop", FindingSeverity.Error, CheckArea.Spf, chain[^1],
                    $"{via} loops back to {target} ({string.Join(" → ", chain)} → {target}): receivers hit the lookup limit and return permerror.", "RFC 7208 §4.6.4"));
                return Leaf(target, via, null, "loop", "include/redirect loop");
            }

            if (chain.Count >= options.MaxSpfTreeDepth)
            {
                return Leaf(target, via, null, "too-deep", $"more than {options.MaxSpfTreeDepth} levels of include/redirect");
            }

            return await NodeAsync(target, via, chain, isRoot: false).ConfigureAwait(false);
        }

        /// <summary>Whether the a/mx term's lookup is void (RFC 7208 §4.6.4); MX lists over 10 names are an error of their own.</summary>
        private async Task<int> CountVoidAsync(string domain, SpfMechanism mechanism)
        {
            if (mechanism.DomainSpec?.Contains('%', StringComparison.Ordinal) == true)
            {
                return 0;
            }

            var target = mechanism.DomainSpec is null ? domain : DnsName.Normalize(mechanism.DomainSpec);
            if (mechanism.Kind == SpfMechanismKind.Mx)
            {
                var mx = await dns.LookupMxAsync(target, cancellationToken).ConfigureAwait(false);
                if (mx.Records.Count > 10)
                {
                    findings.Add(new CheckFinding("spf.too-many-mx", FindingSeverity.Error, CheckArea.Spf, domain,
                        $"'{mechanism.Text}': {target} has {mx.Records.Count} MX records; receivers look at no more than 10 and return permerror.", "RFC 7208 §4.6.4"));
                }

                return mx.IsVoid ? 1 : 0;
            }

            var a = await dns.LookupAAsync(target, cancellationToken).ConfigureAwait(false);
            if (!a.IsVoid)
            {
                return 0;
            }

            var aaaa = await dns.LookupAaaaAsync(target, cancellationToken).ConfigureAwait(false);
            return aaaa.IsVoid ? 1 : 0;
        }

        private static SpfTreeNode Leaf(string domain, string? via, string? record, string status, string? problem) =>
            new(domain, via, record, status, problem, 0, 0, []);
    }
}
