using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.AuthResults;
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

        // Alignment (RFC 9989 §4.4.1, §4.4.2): only passing identifiers can align; an aligned identifier whose
        // check ended in a temporary error may still pass later.
        var spfAligned = false;
        var tempErrors = new List<string>();
        if (input.Spf is { } spf && spf.Domain.Length > 0)
        {
            var aligns = await AlignsAsync(spf.Domain, domain, record.Aspf, method, discovery, cancellationToken).ConfigureAwait(false);
            if (aligns is null && spf.Result is SpfResult.Pass or SpfResult.TempError)
            {
                tempErrors.Add($"organizational domain of {spf.Domain}: DNS failure");
            }
            else if (aligns == true && spf.Result == SpfResult.Pass)
            {
                spfAligned = true;
            }
            else if (aligns == true && spf.Result == SpfResult.TempError)
            {
                tempErrors.Add($"spf={spf.Domain}: temperror");
            }
        }

        var dkimAligned = false;
        string? alignedDkimDomain = null;
        foreach (var signature in input.Dkim)
        {
            if (signature.Domain.Length == 0 || signature.Result is not (DkimResult.Pass or DkimResult.TempError))
            {
                continue;
            }

            var aligns = await AlignsAsync(signature.Domain, domain, record.Adkim, method, discovery, cancellationToken).ConfigureAwait(false);
            if (aligns is null)
            {
                tempErrors.Add($"organizational domain of {signature.Domain}: DNS failure");
            }
            else if (aligns == true && signature.Result == DkimResult.Pass)
            {
                dkimAligned = true;
                alignedDkimDomain = signature.Domain;
                break;
            }
            else if (aligns == true)
            {
                tempErrors.Add($"dkim d={signature.Domain}: temperror");
            }
        }

        var pass = spfAligned || dkimAligned;
        var result = pass ? DmarcResult.Pass : tempErrors.Count > 0 ? DmarcResult.TempError : DmarcResult.Fail;

        // Policy selection (RFC 9989 §4.7, §4.8): p when the record is the author domain's own, or when the
        // author domain is itself an organizational domain (e.g. one label below a PSD's psd=y record); sp for a
        // subdomain of the organizational domain; np when the author domain does not exist. The existence query
        // is made only when np could apply (DMARC did not pass and the record has np).
        var authorIsOrganizational = org.OrganizationalDomain == domain;
        DmarcPolicy requested;
        bool? exists = null;
        if (lookup.PolicyDomain == domain)
        {
            requested = record.Policy;
        }
        else if (record.Np is not null && !record.PolicyDefaultedToNone && !pass)
        {
            var (domainExists, error) = await discovery.DomainExistsAsync(domain, cancellationToken).ConfigureAwait(false);
            if (domainExists is null)
            {
                return baseEvaluation with
                {
                    Result = DmarcResult.TempError,
                    Reason = $"existence check of {domain}: {error}",
                    OrganizationalDomain = org.OrganizationalDomain,
                    SpfAligned = spfAligned,
                    DkimAligned = dkimAligned,
                };
            }

            exists = domainExists;
            requested = !domainExists.Value ? record.NonExistentSubdomainPolicy
                : authorIsOrganizational ? record.Policy : record.SubdomainPolicy;
        }
        else
        {
            requested = authorIsOrganizational ? record.Policy : record.SubdomainPolicy;
        }

        var evaluation = baseEvaluation with
        {
            Result = result,
            Reason = result == DmarcResult.TempError ? string.Join("; ", tempErrors) : null,
            OrganizationalDomain = org.OrganizationalDomain,
            SpfAligned = spfAligned,
            DkimAligned = dkimAligned,
            AlignedDkimDomain = alignedDkimDomain,
            AuthorDomainExists = exists,
            RequestedPolicy = requested,
            EffectivePolicy = requested,
            Disposition = Disposition.None,
        };

        return result == DmarcResult.Fail
            ? await ApplyPolicyAsync(evaluation, record, input, discovery, warnings, cancellationToken).ConfigureAwait(false)
            : evaluation;
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
}
