using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Rollout;

/// <summary>
/// Replays a window of aggregate-report traffic against a stricter policy: which messages and which sources would be
/// quarantined or rejected, and which of the failing sources look like the domain's own senders rather than spoofing.
/// </summary>
/// <remarks>
/// RFC 9989 §4.8: mail fails DMARC when neither DKIM nor SPF passes aligned; §4.7: <c>p</c> governs the domain,
/// <c>sp</c> its subdomains, <c>np</c> subdomains that do not exist. A failing source looks legitimate on one strong
/// sign — a known sending service, a DKIM signature that passes for another domain (an ESP, a list, a forwarder), part
/// of its mail passing DMARC, a reverse name inside the domain — or on two weak ones: steady sending over several
/// days, SPF passing for another domain. SPF passing alone is not enough: a spoofer passes SPF for its own domain
/// (sample message 03 does exactly that).
/// </remarks>
public static class PolicySimulator
{
    /// <summary>Simulates <paramref name="policy"/> over the rows of <paramref name="domain"/> and its subdomains between two days (inclusive).</summary>
    public static PolicySimulation Simulate(string domain, IEnumerable<TrafficRow> rows, SimulatedPolicy policy, DateOnly from, DateOnly to, RolloutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new RolloutOptions();
        domain = DnsName.Normalize(domain);
        var window = rows
            .Where(r => r.Day >= from && r.Day <= to && r.Count > 0)
            .Select(r => r with { HeaderFrom = DnsName.Normalize(r.HeaderFrom) })
            .Where(r => r.HeaderFrom == domain || r.HeaderFrom.EndsWith("." + domain, StringComparison.Ordinal))
            .ToList();

        var byTag = new Dictionary<string, long>(StringComparer.Ordinal) { ["p"] = 0, ["sp"] = 0, ["np"] = 0 };
        var sources = new List<SourceSummary>();
        foreach (var group in window.GroupBy(r => r.SourceIp, StringComparer.Ordinal))
        {
            long messages = 0, failing = 0, quarantine = 0, reject = 0, dkimUnaligned = 0, spfUnaligned = 0;
            foreach (var row in group)
            {
                messages += row.Count;
                if (row.DmarcPass)
                {
                    continue;
                }

                failing += row.Count;
                dkimUnaligned += row.DkimPass ? row.Count : 0;
                spfUnaligned += row.SpfPass ? row.Count : 0;
                var (applied, tag) = policy.For(domain, row.HeaderFrom);
                byTag[tag] += row.Count;
                quarantine += applied == DmarcPolicy.Quarantine ? row.Count : 0;
                reject += applied == DmarcPolicy.Reject ? row.Count : 0;
            }

            var service = group.Select(r => r.Service).FirstOrDefault(s => !string.IsNullOrWhiteSpace(s));
            var reverse = group.Select(r => r.ReverseName).FirstOrDefault(s => !string.IsNullOrWhiteSpace(s));
            var days = group.Select(r => r.Day).Distinct().Count();
            var (cls, reasons, fix) = Classify(domain, messages, failing, dkimUnaligned, spfUnaligned, days, service, reverse, options);
            sources.Add(new SourceSummary(group.Key, reverse, service, messages, failing, quarantine, reject, days, cls, reasons, fix));
        }

        var ordered = sources
            .OrderByDescending(s => s.WouldQuarantine + s.WouldReject)
            .ThenByDescending(s => s.Failing)
            .ThenByDescending(s => s.Messages)
            .ThenBy(s => s.SourceIp, StringComparer.Ordinal)
            .ToArray();
        return new PolicySimulation(
            domain,
            from,
            to,
            policy,
            sources.Sum(s => s.Messages),
            sources.Sum(s => s.Failing),
            sources.Sum(s => s.WouldQuarantine),
            sources.Sum(s => s.WouldReject),
            byTag,
            ordered,
            sources.Where(s => s.Class != SourceClass.Suspicious).Sum(s => s.Messages),
            sources.Where(s => s.Class == SourceClass.Legitimate).Sum(s => s.Failing),
            window.Select(r => r.Day).Distinct().Count());
    }

    private static (SourceClass Class, IReadOnlyList<string> Reasons, string? Fix) Classify(
        string domain, long messages, long failing, long dkimUnaligned, long spfUnaligned, int days, string? service, string? reverse, RolloutOptions options)
    {
        if (failing == 0)
        {
            return (SourceClass.Compliant, [], null);
        }

        var strong = new List<string>();
        var weak = new List<string>();
        if (service is not null)
        {
            strong.Add($"known sending service {service}");
        }

        if (dkimUnaligned > 0)
        {
            strong.Add("DKIM passes but for another domain (not aligned)");
        }

        if (failing < messages)
        {
            strong.Add($"{messages - failing} of its {messages} messages pass DMARC");
        }

        if (reverse is not null && (DnsName.Normalize(reverse) == domain || DnsName.Normalize(reverse).EndsWith("." + domain, StringComparison.Ordinal)))
        {
            strong.Add($"reverse name {reverse} is in {domain}");
        }

        if (days >= options.SteadyDays)
        {
            weak.Add($"sends steadily ({days} days)");
        }

        if (spfUnaligned > 0)
        {
            weak.Add("SPF passes but for another MAIL FROM domain (not aligned)");
        }

        if (strong.Count == 0 && weak.Count < 2)
        {
            return (SourceClass.Suspicious, [], null);
        }

        string fix;
        if (service is not null)
        {
            fix = $"set {service} up to sign with d={domain} (aligned DKIM), or to use a bounce address in {domain} covered by its SPF";
        }
        else if (dkimUnaligned > 0)
        {
            fix = $"have this sender sign with d={domain}; if it is a mailing list or forwarder you do not control, it will keep failing (ARC at the receiver may rescue it)";
        }
        else if (failing < messages)
        {
            fix = $"find the part of its mail that fails (another MAIL FROM, an unsigned path) and sign it with d={domain}";
        }
        else if (spfUnaligned > 0)
        {
            fix = $"use a MAIL FROM (bounce) domain under {domain} listed in its SPF, or sign with d={domain}";
        }
        else
        {
            fix = $"add this address to the SPF record of {domain} or sign its mail with d={domain}";
        }

        return (SourceClass.Legitimate, [.. strong, .. weak], fix);
    }
}
