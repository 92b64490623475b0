using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>
/// The DMARC part of the domain check: discovery by <see cref="DmarcPolicyDiscovery"/>, syntax by
/// <see cref="DmarcRecord.Parse"/> (each of its messages turned into an explained finding), report destinations by
/// <see cref="ExternalDestinationVerifier"/>.
/// </summary>
/// <remarks>RFC 9989 §4.7, §4.8, §4.10; RFC 9990 §2.4.</remarks>
internal static class DmarcAuditor
{
    private const string Tags = "RFC 9989 §4.7";
    private const string Walk = "RFC 9989 §4.10";
    private const string Historic = "RFC 9989 Appendix A.6";
    private const string External = "RFC 9990 §2.4";

    public static async Task<(DmarcAudit Audit, DmarcRecord? Record)> AuditAsync(
        IDnsResolver dns, string domain, DomainCheckOptions options, List<CheckFinding> findings, CancellationToken cancellationToken)
    {
        var discovery = new DmarcPolicyDiscovery(dns);
        var lookup = await discovery.FindPolicyAsync(domain, DiscoveryMethod.TreeWalk, cancellationToken).ConfigureAwait(false);
        var org = lookup.Status == DmarcPolicyLookupStatus.TempError
            ? null
            : (await discovery.FindOrganizationalDomainAsync(domain, DiscoveryMethod.TreeWalk, cancellationToken).ConfigureAwait(false)).OrganizationalDomain;
        var dmarcName = "_dmarc." + domain;

        ReportSeveralOrStray(lookup.Queries, findings);

        DmarcRecord? record = lookup.Parsed?.Record;
        switch (lookup.Status)
        {
            case DmarcPolicyLookupStatus.TempError:
                findings.Add(new CheckFinding("dmarc.temperror", FindingSeverity.Error, CheckArea.Dmarc, lookup.PolicyDomain is { } n ? "_dmarc." + n : dmarcName,
                    $"DNS did not answer ({lookup.Error}): the policy could not be read. Receivers asking now get temperror too; this is not the same as having no record.",
                    Walk));
                break;
            case DmarcPolicyLookupStatus.NoPolicy:
                await ReportMisplacedAsync(dns, domain, findings, cancellationToken).ConfigureAwait(false);
                if (findings.Any(f => f.Code == "dmarc.several-records"))
                {
                    break; // the records are there, but discarded: that finding says what to do
                }

                findings.Add(new CheckFinding("dmarc.missing", FindingSeverity.Error, CheckArea.Dmarc, dmarcName,
                    $"No DMARC record at {dmarcName} or any parent name: receivers apply no policy to mail claiming to be from {domain} and send no reports. Publish the starter record.",
                    Walk, DmarcRecordGenerator.Starter(domain, options.ReportMailbox).Records));
                break;
            case DmarcPolicyLookupStatus.Unusable:
            case DmarcPolicyLookupStatus.Found:
                var policyDomain = lookup.PolicyDomain!;
                if (policyDomain != domain)
                {
                    findings.Add(new CheckFinding("dmarc.inherited", FindingSeverity.Info, CheckArea.Dmarc, dmarcName,
                        $"No record at {dmarcName}; the record at _dmarc.{policyDomain} applies to {domain} as a subdomain"
                        + (record is null ? "." : $" (sp: {Name(record.SubdomainPolicy)})."),
                        Walk));
                }
                else
                {
                    findings.Add(new CheckFinding("dmarc.found", FindingSeverity.Info, CheckArea.Dmarc, dmarcName,
                        $"DMARC record found at {dmarcName}: {lookup.Parsed!.Record!.Text}", Walk));
                }

                ReportSyntax(domain, policyDomain, lookup.Parsed!, options, findings);
                if (record is not null)
                {
                    ReportPolicy(domain, policyDomain, record, lookup.Status == DmarcPolicyLookupStatus.Found, options, findings);
                    await ReportDestinationsAsync(dns, policyDomain, record, findings, cancellationToken).ConfigureAwait(false);
                }

                break;
        }

        var usable = lookup.Record;
        var effective = usable is null ? (DmarcPolicy?)null : lookup.PolicyDomain == domain ? usable.Policy : usable.SubdomainPolicy;
        var audit = new DmarcAudit(lookup.Status, lookup.PolicyDomain, lookup.Parsed?.Record?.Text, org, effective, usable?.Testing ?? false,
            DmarcRecordGenerator.StageOf(usable), lookup.Queries);
        return (audit, usable);
    }

    /// <summary>Several DMARC records at one name are all discarded; other TXT at a <c>_dmarc</c> name is noise or a typo.</summary>
    private static void ReportSeveralOrStray(IReadOnlyList<DmarcDnsQuery> queries, List<CheckFinding> findings)
    {
        foreach (var query in queries.Where(q => q.Type == DnsRecordType.Txt && q.Status == DnsResultStatus.Success))
        {
            var parsed = query.Records.Select(DmarcRecord.Parse).ToList();
            var dmarc = parsed.Count(p => p.IsDmarcRecord);
            if (dmarc > 1)
            {
                findings.Add(new CheckFinding("dmarc.several-records", FindingSeverity.Error, CheckArea.Dmarc, query.Name,
                    $"{dmarc} DMARC records at {query.Name}: receivers discard all of them and go on as if there were none. Keep exactly one.", Walk));
            }

            foreach (var (text, result) in query.Records.Zip(parsed).Where(x => !x.Second.IsDmarcRecord))
            {
                var looksLikeDmarc = text.Contains("dmarc", StringComparison.OrdinalIgnoreCase);
                findings.Add(new CheckFinding(looksLikeDmarc ? "dmarc.bad-version" : "dmarc.stray-txt",
                    looksLikeDmarc && dmarc == 0 ? FindingSeverity.Error : FindingSeverity.Warning, CheckArea.Dmarc, query.Name,
                    looksLikeDmarc
                        ? $"TXT at {query.Name} is not read as DMARC: {result.Errors.FirstOrDefault()} (the record must start with exactly 'v=DMARC1;')"
                        : $"TXT at {query.Name} is not a DMARC record and is ignored: '{Shorten(text)}'",
                    Tags));
            }
        }
    }

    /// <summary>A DMARC record published at the domain itself or at <c>dmarc.&lt;domain&gt;</c>: receivers never look there.</summary>
    private static async Task ReportMisplacedAsync(IDnsResolver dns, string domain, List<CheckFinding> findings, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { domain, "dmarc." + domain })
        {
            var answer = await dns.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
            foreach (var text in answer.Records.Select(r => r.Text).Where(t => DmarcRecord.Parse(t).IsDmarcRecord))
            {
                findings.Add(new CheckFinding("dmarc.wrong-name", FindingSeverity.Error, CheckArea.Dmarc, name,
                    $"A DMARC record is published at {name}, where receivers never look: it belongs at _dmarc.{domain}.",
                    Walk, [RecordFix.Txt("_dmarc." + domain, text)]));
            }
        }
    }

    /// <summary>Every warning and error of the parser, explained, with the RFC section and the repaired record.</summary>
    private static void ReportSyntax(string domain, string policyDomain, DmarcRecordParseResult parsed, DomainCheckOptions options, List<CheckFinding> findings)
    {
        var record = parsed.Record!;
        var name = "_dmarc." + policyDomain;
        var repaired = new Lazy<IReadOnlyList<RecordFix>>(() =>
            [RecordFix.Txt(name, DmarcRecordGenerator.Compose(policyDomain, record, record.PolicyDefaultedToNone ? DmarcPolicy.None : record.P ?? DmarcPolicy.None,
                record.Testing || record.Pct == 0, record.Pct == 0 && record.Testing ? 0 : null, options.ReportMailbox))]);
        foreach (var message in parsed.Warnings.Concat(parsed.Errors))
        {
            var finding = Explain(message, name, record, repaired);
            if (finding is not null)
            {
                findings.Add(finding);
            }
        }

        // Historic tags the parser accepts silently (it keeps them for RFC 7489 mode).
        if (record.Rf.Count > 0)
        {
            findings.Add(new CheckFinding("dmarc.historic-rf", FindingSeverity.Warning, CheckArea.Dmarc, name,
                "rf= is historic: RFC 9989 receivers ignore it and failure reports are AFRF only (RFC 9991). Remove it.", Historic, repaired.Value));
        }

        if (record.Ri is not null)
        {
            findings.Add(new CheckFinding("dmarc.historic-ri", FindingSeverity.Warning, CheckArea.Dmarc, name,
                "ri= is historic: aggregate reports cover whole UTC days (RFC 9990 §3) whatever it says. Remove it.", Historic, repaired.Value));
        }
    }

    private static CheckFinding? Explain(string message, string name, DmarcRecord record, Lazy<IReadOnlyList<RecordFix>> repaired)
    {
        CheckFinding F(string code, FindingSeverity severity, string text, string rfc, bool fix = true) =>
            new(code, severity, CheckArea.Dmarc, name, text, rfc, fix ? repaired.Value : []);

        if (message.StartsWith("duplicate tag", StringComparison.Ordinal))
        {
            return F("dmarc.duplicate-tag", FindingSeverity.Warning, $"{Capitalize(message)}: only the first value counts, which may not be the one meant.", Tags);
        }

        if (message.StartsWith("unknown tag", StringComparison.Ordinal))
        {
            return F("dmarc.unknown-tag", FindingSeverity.Warning, $"{Capitalize(message)}: receivers ignore tags they do not know (a typo such as 'rau' loses the setting).", Tags);
        }

        if (message.StartsWith("malformed term", StringComparison.Ordinal) || message.StartsWith("empty term", StringComparison.Ordinal))
        {
            return F("dmarc.malformed-term", FindingSeverity.Warning, $"{Capitalize(message)}: tags are 'name=value' separated by ';'.", Tags);
        }

        if (message.StartsWith("backslash-escaped", StringComparison.Ordinal))
        {
            return F("dmarc.escaped-semicolon", FindingSeverity.Warning, "The record contains '\\;': the zone's escaping was published literally; some receivers reject the record.", Tags);
        }

        if (message.StartsWith("pct is historic", StringComparison.Ordinal))
        {
            return record.Pct == 0 && record.Testing
                ? F("dmarc.pct-compat", FindingSeverity.Info, "pct=0 with t=y: testing mode for both RFC 9989 (t=y) and RFC 7489 (pct=0) receivers.", Historic, fix: false)
                : record.Pct == 100
                    ? F("dmarc.historic-pct", FindingSeverity.Info, "pct=100 is historic and the default anyway: remove it.", Historic)
                    : F("dmarc.historic-pct", FindingSeverity.Warning,
                        $"pct={record.Pct} is historic: RFC 9989 receivers ignore it and apply p= to all failing mail. The record below drops it; if you meant a test, add t=y instead (RFC 9989's replacement).",
                        Historic);
        }

        if (message.StartsWith("invalid pct", StringComparison.Ordinal) || message.StartsWith("invalid rf", StringComparison.Ordinal) || message.StartsWith("invalid ri", StringComparison.Ordinal))
        {
            return F("dmarc.historic-invalid", FindingSeverity.Warning, $"{Capitalize(message)}: a historic tag with a bad value; remove it.", Historic);
        }

        if (message.StartsWith("invalid psd", StringComparison.Ordinal) || message.StartsWith("invalid t=", StringComparison.Ordinal)
            || message.StartsWith("invalid adkim", StringComparison.Ordinal) || message.StartsWith("invalid aspf", StringComparison.Ordinal)
            || message.StartsWith("invalid fo", StringComparison.Ordinal))
        {
            return F("dmarc.invalid-value", FindingSeverity.Warning, $"{Capitalize(message)}: receivers use the default instead.", Tags);
        }

        if (message.Contains("size suffix", StringComparison.Ordinal) && message.Contains("obsolete", StringComparison.Ordinal))
        {
            return F("dmarc.obsolete-size", FindingSeverity.Info, $"{Capitalize(message)}: RFC 9989 receivers ignore '!size'; remove it.", Tags);
        }

        if (message.Contains("unusable URI", StringComparison.Ordinal) || message.Contains("invalid size suffix", StringComparison.Ordinal))
        {
            return F("dmarc.bad-uri", FindingSeverity.Warning, $"{Capitalize(message)}: reports are only sent to 'mailto:address' URIs; this one is skipped.", Tags);
        }

        if (message.StartsWith("invalid policy value with a valid rua", StringComparison.Ordinal))
        {
            return F("dmarc.invalid-policy", FindingSeverity.Error, "A p=, sp= or np= value is not none/quarantine/reject: receivers apply the whole record as p=none.", "RFC 9989 §4.8");
        }

        if (message.StartsWith("invalid policy value and no valid rua", StringComparison.Ordinal))
        {
            return F("dmarc.not-applied", FindingSeverity.Error, "A p=, sp= or np= value is invalid and there is no usable rua: receivers do not apply DMARC at all.", "RFC 9989 §4.8");
        }

        if (message.StartsWith("invalid p", StringComparison.Ordinal) || message.StartsWith("invalid sp", StringComparison.Ordinal) || message.StartsWith("invalid np", StringComparison.Ordinal))
        {
            return null; // explained together with its consequence above
        }

        if (message.StartsWith("no p= with a valid rua", StringComparison.Ordinal))
        {
            return F("dmarc.p-missing", FindingSeverity.Warning, "No p= tag: receivers read it as p=none (RFC 9989 §4.8). Say p=none explicitly; RFC 7489 receivers reject a record without p.", "RFC 9989 §4.7");
        }

        if (message.StartsWith("no p= and no valid rua", StringComparison.Ordinal))
        {
            return F("dmarc.p-missing-no-rua", FindingSeverity.Error, "No p= tag and no usable rua: receivers do not apply DMARC at all. Publish p=none with a rua.", "RFC 9989 §4.8");
        }

        if (message.StartsWith("no p= in a psd=y record", StringComparison.Ordinal))
        {
            return F("dmarc.psd-no-p", FindingSeverity.Info, "A public suffix record (psd=y) without p= means p=none.", Tags, fix: false);
        }

        return F("dmarc.syntax", FindingSeverity.Warning, Capitalize(message) + ".", Tags);
    }

    private static void ReportPolicy(string domain, string policyDomain, DmarcRecord record, bool usable, DomainCheckOptions options, List<CheckFinding> findings)
    {
        var name = "_dmarc." + policyDomain;
        if (!record.HasValidRua)
        {
            findings.Add(new CheckFinding("dmarc.no-rua", FindingSeverity.Warning, CheckArea.Dmarc, name,
                "No usable rua=: receivers send no aggregate reports, so nobody sees who sends mail as the domain or what would fail a stricter policy.",
                Tags,
                [RecordFix.Txt(name, DmarcRecordGenerator.Compose(policyDomain, record, record.Policy, record.Testing, null, options.ReportMailbox)),
                 .. DmarcRecordGenerator.AuthorizationRecords(policyDomain, [options.ReportMailbox ?? "dmarc-reports@" + policyDomain])]));
        }

        foreach (var uri in record.Rua.Concat(record.Ruf).Where(u => u.IsValid && u.Scheme != "mailto"))
        {
            findings.Add(new CheckFinding("dmarc.uri-scheme", FindingSeverity.Warning, CheckArea.Dmarc, name,
                $"'{uri.Uri}' is not a mailto: URI: RFC 9990 and RFC 9991 receivers report by mail only and skip it.", "RFC 9990 §2.3"));
        }

        if (!usable)
        {
            return;
        }

        var next = DmarcRecordGenerator.NextStep(policyDomain, record, options.ReportMailbox);
        switch (DmarcRecordGenerator.StageOf(record))
        {
            case RolloutStage.Monitor:
                findings.Add(new CheckFinding("dmarc.monitor-only", FindingSeverity.Info, CheckArea.Dmarc, name,
                    $"p=none: monitoring only, spoofed mail from {domain} is delivered. When the reports show every legitimate source passing, publish the next step.",
                    Tags, next.Records));
                break;
            case RolloutStage.Reject:
                findings.Add(new CheckFinding("dmarc.enforced", FindingSeverity.Info, CheckArea.Dmarc, name,
                    $"p=reject in force: receivers refuse mail from {domain} that fails DMARC. Watch the reports for new legitimate sources before they start sending.",
                    Tags));
                break;
            case RolloutStage.Quarantine:
            case RolloutStage.QuarantinePartial:
            case RolloutStage.RejectPartial:
                findings.Add(new CheckFinding("dmarc.next-step", FindingSeverity.Info, CheckArea.Dmarc, name,
                    $"p={Name(record.Policy)} in force{(record.Pct is { } pct and < 100 ? $" for {pct}% at RFC 7489 receivers" : string.Empty)}. When the reports show no legitimate source failing, publish the next step.",
                    Tags, next.Records));
                break;
            case RolloutStage.QuarantineTesting:
            case RolloutStage.RejectTesting:
                findings.Add(new CheckFinding("dmarc.testing", FindingSeverity.Info, CheckArea.Dmarc, name,
                    "Testing mode: receivers apply the policy one level lower and mark the reports as a test. Next step below once the reports are clean.",
                    Tags, next.Records));
                break;
        }
    }

    private static async Task ReportDestinationsAsync(IDnsResolver dns, string policyDomain, DmarcRecord record, List<CheckFinding> findings, CancellationToken cancellationToken)
    {
        var verifier = new ExternalDestinationVerifier(dns, new DmarcOrganizationalDomainResolver(dns));
        var name = "_dmarc." + policyDomain;
        foreach (var (tag, uris) in new[] { ("rua", record.Rua), ("ruf", record.Ruf) })
        {
            var list = ReportUriList.Parse(uris.Where(u => u.IsValid && u.Scheme == "mailto").Select(u => u.Uri));
            foreach (var destination in list.Destinations)
            {
                var verification = await verifier.VerifyAsync(policyDomain, destination.Domain, cancellationToken).ConfigureAwait(false);
                switch (verification.Authorization)
                {
                    case Reporting.DestinationAuthorization.Authorized:
                        findings.Add(new CheckFinding("dmarc.external-authorized", FindingSeverity.Info, CheckArea.Dmarc, name,
                            $"{tag} {destination.Address} is outside {policyDomain} and has authorized its reports ({verification.Detail}).", External));
                        break;
                    case Reporting.DestinationAuthorization.Unauthorized:
                        findings.Add(new CheckFinding("dmarc.external-unauthorized", tag == "rua" ? FindingSeverity.Error : FindingSeverity.Warning, CheckArea.Dmarc, name,
                            $"{tag} {destination.Address} is outside {policyDomain} and has not authorized its reports ({verification.Detail}): receivers will not send {(tag == "rua" ? "aggregate" : "failure")} reports there.",
                            External, [DmarcRecordGenerator.AuthorizationRecord(policyDomain, destination.Domain)]));
                        break;
                    case Reporting.DestinationAuthorization.TemporaryFailure:
                        findings.Add(new CheckFinding("dmarc.external-temperror", FindingSeverity.Warning, CheckArea.Dmarc, name,
                            $"{tag} {destination.Address}: the authorization could not be checked, DNS failed ({verification.Detail}).", External));
                        break;
                }
            }
        }
    }

    private static string Name(DmarcPolicy policy) => RfcName.Of(policy);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
