using DmarcCloud.Core;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.DomainCheck;

namespace DmarcCloud.Cli.Commands;

/// <summary>The human-readable form of a <see cref="DomainCheckReport"/>: summary, SPF tree, findings, record to publish.</summary>
internal static class CheckReportText
{
    public static async Task WriteAsync(DomainCheckReport report, string? comparedWith, TextWriter output)
    {
        var w = new List<string> { $"domain: {report.Domain}" };
        var d = report.Dmarc;
        w.Add(d.Status switch
        {
            DmarcPolicyLookupStatus.Found or DmarcPolicyLookupStatus.Unusable =>
                $"dmarc: _dmarc.{d.PolicyDomain}: {d.Record}" + (d.EffectivePolicy is { } p ? $"  [policy {Lower(p)}{(d.Testing ? ", testing" : string.Empty)}, stage {KebabCaseEnumConverter<RolloutStage>.NameOf(d.Stage)}]" : "  [not applied]"),
            DmarcPolicyLookupStatus.TempError => "dmarc: temperror (DNS did not answer)",
            _ => "dmarc: none found",
        });
        if (d.OrganizationalDomain is not null)
        {
            w.Add($"organizational domain: {d.OrganizationalDomain}");
        }

        w.Add($"spf: {report.Spf.Record ?? "(" + report.Spf.Tree.Status + ")"}");
        w.Add($"spf lookups: {report.Spf.DnsLookups}/10 DNS-querying terms, {report.Spf.VoidLookups}/2 void lookups, TXT answer ~{report.Spf.AnswerBytes} octets");
        if (report.Spf.Tree.Children.Count > 0)
        {
            w.Add("spf tree:");
            Tree(report.Spf.Tree, "  ", w);
        }

        foreach (var key in report.Dkim)
        {
            w.Add($"dkim {key.Selector}: " + key.Status switch
            {
                DkimKeyLookupStatus.Found when key.Revoked => "revoked (empty p=)",
                DkimKeyLookupStatus.Found => $"{key.KeyType}{(key.KeyBits is { } bits ? $" {bits} bits" : string.Empty)}{(key.Testing ? ", t=y" : string.Empty)}",
                _ => $"{KebabCaseEnumConverter<DkimKeyLookupStatus>.NameOf(key.Status)}: {key.Error}",
            });
        }

        var errors = report.Findings.Count(f => f.Severity == FindingSeverity.Error);
        var warnings = report.Findings.Count(f => f.Severity == FindingSeverity.Warning);
        w.Add(string.Empty);
        w.Add($"findings: {errors} error(s), {warnings} warning(s), {report.Findings.Count - errors - warnings} info");
        foreach (var f in report.Findings)
        {
            w.Add($"  {f.Severity.ToString().ToUpperInvariant(),-7} {f.Code}  {f.Name}");
            w.Add($"          {f.Message}");
            w.Add($"          ({f.Rfc})");
            foreach (var fix in f.Fixes)
            {
                w.Add($"          publish: {fix.ZoneLine}");
                if (fix.Note is not null)
                {
                    w.Add($"                   ({fix.Note})");
                }
            }
        }

        var g = report.Generated;
        w.Add(string.Empty);
        w.Add($"publish now ({KebabCaseEnumConverter<RolloutStage>.NameOf(g.From)} -> {KebabCaseEnumConverter<RolloutStage>.NameOf(g.To)}):");
        foreach (var record in g.Records)
        {
            w.Add($"  {record.ZoneLine}");
            if (record.Note is not null)
            {
                w.Add($"    ({record.Note})");
            }
        }

        w.Add($"  {g.Explanation}");
        if (g.PctRamp.Count > 0)
        {
            w.Add("  or, for receivers still on RFC 7489, step up with pct first (RFC 9989 receivers ignore pct and apply the full policy):");
            w.AddRange(g.PctRamp.Select(r => $"    {r.ZoneLine}"));
        }

        if (report.Comparisons is { } comparisons)
        {
            w.Add(string.Empty);
            w.Add($"answers compared with {comparedWith}: {comparisons.Count(c => !c.Same)} of {comparisons.Count} differ");
            foreach (var c in comparisons)
            {
                w.Add($"  {(c.Same ? "same" : "DIFF")}  {c.Type.ToString().ToUpperInvariant(),-4} {c.Name}");
                w.Add($"        here:  {c.Primary.Summary}");
                if (!c.Same)
                {
                    w.Add($"        there: {c.Secondary.Summary}");
                }
            }
        }

        foreach (var line in w)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    private static void Tree(SpfTreeNode node, string indent, List<string> lines)
    {
        var label = node.Via is null ? node.Domain : $"{node.Via}";
        var state = node.Status == "ok" ? $"{node.DnsLookups} lookup(s){(node.VoidLookups > 0 ? $", {node.VoidLookups} void" : string.Empty)}" : $"{node.Status}: {node.Problem}";
        lines.Add($"{indent}{label}  [{state}]  {node.Record}");
        foreach (var child in node.Children)
        {
            Tree(child, indent + "  ", lines);
        }
    }

    private static string Lower(DmarcPolicy policy) => RfcName.Of(policy);
}
