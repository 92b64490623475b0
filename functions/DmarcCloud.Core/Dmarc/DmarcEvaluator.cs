using DmarcCloud.Core.Arc;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Dmarc;

/// <summary>
/// Turns SPF, DKIM and ARC results into the DMARC result and disposition: policy discovery, identifier alignment,
/// p/sp/np selection with the non-existence check, <c>t=y</c> testing, <c>pct</c> sampling (RFC 7489 mode only)
/// and the receiver's local policy.
/// </summary>
/// <remarks>
/// RFC 9989 §4.8 (evaluation steps), §4.4 (several author domains: each is evaluated, the strictest failing
/// result is kept), §4.7 (tags), §4.10 (tree walk); RFC 7489 §6.6 (PSL mode, pct). A DNS failure that decides
/// the outcome gives <see cref="DmarcResult.TempError"/>, never none or fail.
/// </remarks>
public sealed class DmarcEvaluator
{
    private readonly IDnsResolver _dns;
    private readonly DmarcEvaluatorOptions _options;

    /// <summary>Creates an evaluator over <paramref name="dns"/>.</summary>
    public DmarcEvaluator(IDnsResolver dns, DmarcEvaluatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _dns = dns;
        _options = options ?? new DmarcEvaluatorOptions();
    }

    /// <summary>Evaluates DMARC for <paramref name="input"/>.</summary>
    public async Task<DmarcEvaluation> EvaluateAsync(DmarcEvaluationInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var method = _options.DiscoveryMethod;
        var author = input.Author;
        if (!author.CanEvaluate)
        {
            // RFC 9989 §4.4: without a single usable From field there is no author domain: permerror.
            return new DmarcEvaluation
            {
                Result = DmarcResult.PermError,
                Reason = author.Detail,
                DiscoveryMethod = method,
            };
        }

        var discovery = new DmarcPolicyDiscovery(_dns, _options.PublicSuffixList);
        var evaluations = new List<DmarcEvaluation>();
        foreach (var domain in author.Domains)
        {
            evaluations.Add(await EvaluateDomainAsync(domain, input, discovery, cancellationToken).ConfigureAwait(false));
        }

        var chosen = evaluations.Count == 1 ? evaluations[0] : Strictest(evaluations);
        var warnings = chosen.Warnings.ToList();
        if (evaluations.Count > 1)
        {
            warnings.Add($"From holds {evaluations.Count} author domains ({string.Join(", ", author.Domains)}); each was evaluated and {chosen.AuthorDomain} kept (RFC 9989 §4.4)");
        }

        return chosen with { Queries = discovery.Queries, Warnings = warnings };
    }

    /// <summary>Whether <paramref name="identifier"/> aligns with <paramref name="authorDomain"/>; null on a DNS failure.</summary>
    public static async Task<bool?> AlignsAsync(
        string identifier, string authorDomain, AlignmentMode mode, DiscoveryMethod method, DmarcPolicyDiscovery discovery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        var a = NormalizeIdentifier(identifier);
        var b = NormalizeIdentifier(authorDomain);
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        if (a == b)
        {
            return true;
        }

        if (mode == AlignmentMode.Strict)
        {
            return false;
        }

        // Organizational domains are suffixes of their names: names without a common last label never align.
        if (a[(a.LastIndexOf('.') + 1)..] != b[(b.LastIndexOf('.') + 1)..])
        {
            return false;
        }

        var orgA = await discovery.FindOrganizationalDomainAsync(a, method, cancellationToken).ConfigureAwait(false);
        var orgB = await discovery.FindOrganizationalDomainAsync(b, method, cancellationToken).ConfigureAwait(false);
        if (orgA.IsTempError || orgB.IsTempError)
        {
            return null;
        }

        return orgA.OrganizationalDomain == orgB.OrganizationalDomain;
    }

    private static string NormalizeIdentifier(string name) => name.Trim().Trim('.').ToLowerInvariant();

    private async Task<DmarcEvaluation> EvaluateDomainAsync(string domain, DmarcEvaluationInput input, DmarcPolicyDiscovery discovery, CancellationToken cancellationToken)
    {
        var method = _options.DiscoveryMethod;
        var lookup = await discovery.FindPolicyAsync(domain, method, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        if (lookup.Parsed is { } parsedRecord)
        {
            warnings.AddRange(parsedRecord.Warnings.Select(w => $"_dmarc.{lookup.PolicyDomain}: {w}"));
            warnings.AddRange(parsedRecord.Errors.Select(e => $"_dmarc.{lookup.PolicyDomain}: {e}"));
        }

        var baseEvaluation = new DmarcEvaluation
        {
            Result = DmarcResult.None,
            AuthorDomain = domain,
            Lookup = lookup,
            DiscoveryMethod = method,
            Reason = lookup.Error,
            Warnings = warnings,
        };

        switch (lookup.Status)
        {
            case DmarcPolicyLookupStatus.TempError:
                return baseEvaluation with { Result = DmarcResult.TempError };
            case DmarcPolicyLookupStatus.NoPolicy:
            case DmarcPolicyLookupStatus.Unusable:
                // RFC 9989 §4.8: no (usable) policy record: DMARC is not applied.
                return baseEvaluation;
        }

        var record = lookup.Record!;
        var org = await discovery.FindOrganizationalDomainAsync(domain, method, cancellationToken).ConfigureAwait(false);
        var spf = await SpfAlignmentAsync(input.Spf, domain, record.Aspf, method, discovery, cancellationToken).ConfigureAwait(false);
        var dkim = await DkimAlignmentAsync(input.Dkim, domain, record.Adkim, method, discovery, cancellationToken).ConfigureAwait(false);
        var pass = spf.Aligned || dkim.Aligned;
        var tempErrors = spf.TempErrors.Concat(dkim.TempErrors).ToList();
        var result = pass ? DmarcResult.Pass : tempErrors.Count > 0 ? DmarcResult.TempError : DmarcResult.Fail;

        var selection = await SelectPolicyAsync(domain, lookup.PolicyDomain, record, org.OrganizationalDomain == domain, pass, discovery, cancellationToken).ConfigureAwait(false);
        if (selection.ExistenceError is { } existenceError)
        {
            return baseEvaluation with
            {
                Result = DmarcResult.TempError,
                Reason = $"existence check of {domain}: {existenceError}",
                OrganizationalDomain = org.OrganizationalDomain,
                SpfAligned = spf.Aligned,
                DkimAligned = dkim.Aligned,
            };
        }

        var evaluation = baseEvaluation with
        {
            Result = result,
            Reason = result == DmarcResult.TempError ? string.Join("; ", tempErrors) : null,
            OrganizationalDomain = org.OrganizationalDomain,
            SpfAligned = spf.Aligned,
            DkimAligned = dkim.Aligned,
            AlignedDkimDomain = dkim.Domain,
            AuthorDomainExists = selection.Exists,
            RequestedPolicy = selection.Requested,
            EffectivePolicy = selection.Requested,
            Disposition = Disposition.None,
        };

        return result == DmarcResult.Fail
            ? await ApplyPolicyAsync(evaluation, record, input, discovery, warnings, cancellationToken).ConfigureAwait(false)
            : evaluation;
    }

    /// <summary>
    /// SPF alignment (RFC 9989 §4.4.2): the SPF-authenticated domain aligns with the author domain and passed. An
    /// aligned identifier whose check ended in temperror, or an alignment that needed DNS and failed, may still pass
    /// later: it is a temporary error, not a failure.
    /// </summary>
    private static async Task<Alignment> SpfAlignmentAsync(
        SpfCheckResult? spf, string authorDomain, AlignmentMode mode, DiscoveryMethod method, DmarcPolicyDiscovery discovery, CancellationToken cancellationToken)
    {
        if (spf is null || spf.Domain.Length == 0)
        {
            return Alignment.None;
        }

        var aligns = await AlignsAsync(spf.Domain, authorDomain, mode, method, discovery, cancellationToken).ConfigureAwait(false);
        return (aligns, spf.Result) switch
        {
            (null, SpfResult.Pass or SpfResult.TempError) => Alignment.TempError($"organizational domain of {spf.Domain}: DNS failure"),
            (true, SpfResult.Pass) => new Alignment(true, spf.Domain, []),
            (true, SpfResult.TempError) => Alignment.TempError($"spf={spf.Domain}: temperror"),
            _ => Alignment.None,
        };
    }

    /// <summary>
    /// DKIM alignment (RFC 9989 §4.4.1): the first passing signature whose <c>d=</c> aligns with the author domain.
    /// Only passing (or temperror) signatures are looked at; temporary errors are collected until one aligns.
    /// </summary>
    private static async Task<Alignment> DkimAlignmentAsync(
        IReadOnlyList<DkimSignatureResult> signatures, string authorDomain, AlignmentMode mode, DiscoveryMethod method, DmarcPolicyDiscovery discovery, CancellationToken cancellationToken)
    {
        var tempErrors = new List<string>();
        foreach (var signature in signatures)
        {
            if (signature.Domain.Length == 0 || signature.Result is not (DkimResult.Pass or DkimResult.TempError))
            {
                continue;
            }

            var aligns = await AlignsAsync(signature.Domain, authorDomain, mode, method, discovery, cancellationToken).ConfigureAwait(false);
            if (aligns is null)
            {
                tempErrors.Add($"organizational domain of {signature.Domain}: DNS failure");
            }
            else if (aligns == true && signature.Result == DkimResult.Pass)
            {
                return new Alignment(true, signature.Domain, tempErrors);
            }
            else if (aligns == true)
            {
                tempErrors.Add($"dkim d={signature.Domain}: temperror");
            }
        }

        return new Alignment(false, null, tempErrors);
    }

    /// <summary>
    /// Policy selection (RFC 9989 §4.7, §4.8): <c>p</c> when the record is the author domain's own, or when the
    /// author domain is itself an organizational domain (e.g. one label below a PSD's psd=y record); <c>sp</c> for a
    /// subdomain of the organizational domain; <c>np</c> when the author domain does not exist. The existence query
    /// is made only when <c>np</c> could apply (DMARC did not pass and the record has <c>np</c>).
    /// </summary>
    private static async Task<PolicySelection> SelectPolicyAsync(
        string authorDomain, string? policyDomain, DmarcRecord record, bool authorIsOrganizational, bool pass, DmarcPolicyDiscovery discovery, CancellationToken cancellationToken)
    {
        if (policyDomain == authorDomain)
        {
            return new PolicySelection(record.Policy, null, null);
        }

        var existingDomainPolicy = authorIsOrganizational ? record.Policy : record.SubdomainPolicy;
        if (record.Np is null || record.PolicyDefaultedToNone || pass)
        {
            return new PolicySelection(existingDomainPolicy, null, null);
        }

        var (exists, error) = await discovery.DomainExistsAsync(authorDomain, cancellationToken).ConfigureAwait(false);
        return exists switch
        {
            null => new PolicySelection(existingDomainPolicy, null, error ?? "DNS failure"),
            false => new PolicySelection(record.NonExistentSubdomainPolicy, false, null),
            true => new PolicySelection(existingDomainPolicy, true, null),
        };
    }

    private async Task<DmarcEvaluation> ApplyPolicyAsync(
        DmarcEvaluation evaluation, DmarcRecord record, DmarcEvaluationInput input, DmarcPolicyDiscovery discovery, List<string> warnings, CancellationToken cancellationToken)
    {
        var overrides = new List<PolicyOverrideReason>();
        var policy = evaluation.RequestedPolicy ?? DmarcPolicy.None;

        if (record.Testing && policy != DmarcPolicy.None)
        {
            // RFC 9989 §4.7 t=y: apply the policy one level lower.
            policy = OneLevelLower(policy);
            overrides.Add(new PolicyOverrideReason(PolicyOverrideType.PolicyTestMode, "t=y"));
        }
        else if (record.Pct is { } pct && pct < 100 && policy != DmarcPolicy.None)
        {
            if (_options.DiscoveryMethod == DiscoveryMethod.Psl)
            {
                // RFC 7489 §6.6.4: a message not sampled gets the next less strict policy.
                var random = _options.SamplingRandom ?? Random.Shared;
                if (random.Next(100) >= pct)
                {
                    policy = OneLevelLower(policy);
                    overrides.Add(new PolicyOverrideReason(PolicyOverrideType.SampledOut, $"pct={pct}"));
                }
            }
            else
            {
                warnings.Add($"pct={pct} ignored: historic in RFC 9989 (tree-walk mode)");
            }
        }

        var effective = policy;
        var disposition = ToDisposition(policy);
        var local = _options.LocalPolicy;
        if (disposition != Disposition.None)
        {
            if (input.Authenticated && local.SkipAuthenticatedSubmissions)
            {
                disposition = Disposition.None;
                overrides.Add(new PolicyOverrideReason(PolicyOverrideType.LocalPolicy, "authenticated submission"));
            }
            else if (input.ClientIp is { } ip && local.IsTrustedClient(ip))
            {
                disposition = Disposition.None;
                overrides.Add(new PolicyOverrideReason(PolicyOverrideType.LocalPolicy, $"trusted client {ip}"));
            }
            else if (local.IsAllowListed(evaluation.AuthorDomain!))
            {
                disposition = Disposition.None;
                overrides.Add(new PolicyOverrideReason(PolicyOverrideType.LocalPolicy, $"allow-listed From domain {evaluation.AuthorDomain}"));
            }
            else if (await FindArcRescueAsync(evaluation.AuthorDomain!, record, input.Arc, discovery, cancellationToken).ConfigureAwait(false) is { } rescue)
            {
                disposition = Disposition.None;
                overrides.Add(rescue);
            }
            else if (disposition == Disposition.Reject && local.SoftenRejectToQuarantine)
            {
                disposition = Disposition.Quarantine;
                overrides.Add(new PolicyOverrideReason(PolicyOverrideType.LocalPolicy, "reject softened to quarantine"));
            }
        }

        return evaluation with
        {
            EffectivePolicy = effective,
            Disposition = disposition,
            Overrides = overrides,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// RFC 8617 §7.2: a validated chain (<c>cv=pass</c>) whose newest hop sealed by a trusted sealer recorded an
    /// upstream DMARC pass for the author domain, or an aligned DKIM or SPF pass, rescues the failure.
    /// </summary>
    private async Task<PolicyOverrideReason?> FindArcRescueAsync(
        string authorDomain, DmarcRecord record, ArcValidationResult? arc, DmarcPolicyDiscovery discovery, CancellationToken cancellationToken)
    {
        if (arc is null || arc.Status != ArcChainStatus.Pass || _options.LocalPolicy.TrustedArcSealers.Count == 0)
        {
            return null;
        }

        foreach (var hop in arc.Hops.OrderByDescending(h => h.Instance))
        {
            var sealer = _options.LocalPolicy.FindTrustedSealer(hop.SealDomain);
            if (sealer is null)
            {
                continue;
            }

            var (_, results) = AuthenticationResultsParser.Parse(hop.AuthenticationResults);
            foreach (var entry in results.Where(r => r.Result == "pass"))
            {
                var aligned = entry.Method switch
                {
                    "dmarc" => entry.Property("header.from") is not { } from || NormalizeIdentifier(from) == authorDomain,
                    "dkim" when entry.Property("header.d") is { } d =>
                        await AlignsAsync(d, authorDomain, record.Adkim, _options.DiscoveryMethod, discovery, cancellationToken).ConfigureAwait(false) == true,
                    "spf" when (entry.Property("smtp.mailfrom") ?? entry.Property("smtp.mfrom")) is { } mailFrom =>
                        await AlignsAsync(mailFrom[(mailFrom.LastIndexOf('@') + 1)..], authorDomain, record.Aspf, _options.DiscoveryMethod, discovery, cancellationToken).ConfigureAwait(false) == true,
                    _ => false,
                };
                if (aligned)
                {
                    return new PolicyOverrideReason(sealer.Reason, $"arc=pass; i={hop.Instance} sealed by {hop.SealDomain} recorded {entry.Method}=pass");
                }
            }

            // Only the newest trusted hop speaks for the chain.
            return null;
        }

        return null;
    }

    private static DmarcPolicy OneLevelLower(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Reject => DmarcPolicy.Quarantine,
        _ => DmarcPolicy.None,
    };

    private static Disposition ToDisposition(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Reject => Disposition.Reject,
        DmarcPolicy.Quarantine => Disposition.Quarantine,
        _ => Disposition.None,
    };

    /// <summary>For several author domains: the failing evaluation with the strictest policy, else temperror, pass, none.</summary>
    private static DmarcEvaluation Strictest(List<DmarcEvaluation> evaluations)
    {
        var failed = evaluations.Where(e => e.Result == DmarcResult.Fail).ToList();
        if (failed.Count > 0)
        {
            return failed.OrderByDescending(e => e.EffectivePolicy ?? DmarcPolicy.None).ThenByDescending(e => e.RequestedPolicy ?? DmarcPolicy.None).First();
        }

        return evaluations.FirstOrDefault(e => e.Result == DmarcResult.TempError)
            ?? evaluations.FirstOrDefault(e => e.Result == DmarcResult.Pass)
            ?? evaluations[0];
    }

    /// <summary>The outcome of one alignment check: aligned (with the aligned domain), or the temporary errors seen.</summary>
    private sealed record Alignment(bool Aligned, string? Domain, IReadOnlyList<string> TempErrors)
    {
        public static readonly Alignment None = new(false, null, []);

        public static Alignment TempError(string error) => new(false, null, [error]);
    }

    /// <summary>The policy requested for the author domain, whether it exists (when asked), or the DNS error that asking met.</summary>
    private sealed record PolicySelection(DmarcPolicy Requested, bool? Exists, string? ExistenceError);
}
