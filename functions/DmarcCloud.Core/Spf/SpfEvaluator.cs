using System.Net;
using System.Net.Sockets;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Spf;

/// <summary>
/// Evaluates SPF: the RFC 7208 <c>check_host()</c> function, over an injected <see cref="IDnsResolver"/>.
/// Every outcome is a value: malformed records, include loops and DNS failures end in permerror or
/// temperror, never in an exception (only cancellation is thrown).
/// </summary>
/// <remarks>
/// RFC 7208 §4 (check_host), §5 (mechanisms), §6 (redirect, exp), §7 (macros), §4.6.4 (10 DNS-querying
/// terms, 2 void lookups). Records are parsed by <see cref="SpfRecord.Parse"/> before any term is evaluated.
/// </remarks>
public sealed class SpfEvaluator(IDnsResolver dns, SpfOptions? options = null)
{
    private readonly IDnsResolver _dns = dns ?? throw new ArgumentNullException(nameof(dns));
    private readonly SpfOptions _options = options ?? new SpfOptions();

    // Parsing is pure, so parsed records are kept by their text: a warm DNS cache then skips parsing too.
    private readonly ParsedRecordCache<SpfRecordParseResult> _parsed = new((options ?? new SpfOptions()).ParsedRecordCacheSize, SpfRecord.Parse);

    /// <summary>Checks the MAIL FROM identity (§2.4); an empty reverse-path is checked as <c>postmaster@HELO</c>.</summary>
    public Task<SpfCheckResult> CheckMailFromAsync(IPAddress ip, string? mailFrom, string? helo, CancellationToken ct = default)
    {
        var heloName = helo ?? string.Empty;
        if (string.IsNullOrEmpty(mailFrom) || mailFrom == "<>")
        {
            return CheckHostAsync(ip, heloName, "postmaster@" + heloName, helo, SpfIdentity.MailFrom, ct);
        }

        var at = mailFrom.LastIndexOf('@');
        var domain = at < 0 ? mailFrom : mailFrom[(at + 1)..];
        return CheckHostAsync(ip, domain, mailFrom, helo, SpfIdentity.MailFrom, ct);
    }

    /// <summary>Checks the HELO identity (§2.3), with <c>postmaster@HELO</c> as the sender.</summary>
    public Task<SpfCheckResult> CheckHeloAsync(IPAddress ip, string helo, CancellationToken ct = default) =>
        CheckHostAsync(ip, helo, "postmaster@" + helo, helo, SpfIdentity.Helo, ct);

    /// <summary>The check_host() function (§4): is <paramref name="ip"/> authorized to send for <paramref name="domain"/>?</summary>
    /// <param name="ip">The SMTP client's address; an IPv4-mapped IPv6 address is checked as IPv4.</param>
    /// <param name="domain">The domain whose record is checked.</param>
    /// <param name="sender">The MAIL FROM or <c>postmaster@HELO</c>; an empty local-part becomes "postmaster" (§4.3).</param>
    /// <param name="helo">The HELO/EHLO name, for <c>%{h}</c>.</param>
    /// <param name="identity">Which identity is being checked.</param>
    /// <param name="ct">Cancels the check.</param>
    public async Task<SpfCheckResult> CheckHostAsync(IPAddress ip, string domain, string sender, string? helo, SpfIdentity identity, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ip);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(sender);

        var at = sender.LastIndexOf('@');
        var local = at < 0 ? string.Empty : sender[..at];
        var senderDomain = at < 0 ? sender : sender[(at + 1)..];
        if (local.Length == 0)
        {
            local = "postmaster";
        }

        var client = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        var state = new CheckState(client, local, senderDomain, helo ?? string.Empty, ct);
        var normalizedDomain = domain.EndsWith('.') ? domain[..^1] : domain;
        var outcome = await CheckDomainAsync(state, normalizedDomain).ConfigureAwait(false);
        return new SpfCheckResult(
            outcome.Result,
            identity,
            normalizedDomain.ToLowerInvariant(),
            outcome.Explanation,
            outcome.Mechanism,
            state.DnsLookups,
            state.VoidLookups,
            outcome.Record);
    }

    private async Task<Outcome> CheckDomainAsync(CheckState state, string domain)
    {
        // §4.3: a malformed or single-label domain gives "none" without any lookup.
        if (!IsCheckableDomain(domain))
        {
            return new Outcome(SpfResult.None, $"'{domain}' is not a valid multi-label domain name (§4.3)");
        }

        var answer = await _dns.LookupTxtAsync(domain, state.CancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case DnsResultStatus.TemporaryFailure:
                return new Outcome(SpfResult.TempError, $"DNS error looking up the SPF record of {domain}: {answer.Error} (§4.4)");
            case DnsResultStatus.NxDomain:
            case DnsResultStatus.NoData:
                return new Outcome(SpfResult.None, $"{domain} has no SPF record (§4.5)");
        }

        var records = answer.Records.Select(r => r.Text).Where(SpfRecord.IsSpfRecord).ToList();
        if (records.Count == 0)
        {
            return new Outcome(SpfResult.None, $"{domain} has no SPF record (§4.5)");
        }

        if (records.Count > 1)
        {
            return new Outcome(SpfResult.PermError, $"{domain} publishes {records.Count} SPF records (§4.5)", Record: records[0]);
        }

        var parsed = Parse(records[0]);
        if (parsed.Record is null)
        {
            return new Outcome(SpfResult.PermError, $"the SPF record of {domain} is malformed: {parsed.Error} (§4.6)", Record: records[0]);
        }

        var outcome = await EvaluateAsync(state, domain, parsed.Record).ConfigureAwait(false);
        return outcome with { Record = records[0] };
    }

    private SpfRecordParseResult Parse(string text) => _parsed.Get(text);

    private async Task<Outcome> EvaluateAsync(CheckState state, string domain, SpfRecord record)
    {
        foreach (var mechanism in record.Mechanisms)
        {
            // all, ip4 and ip6 need no DNS (§5.1, §5.6): matched without an async call (and its Task) per term, which
            // matters for netblock records of dozens of terms.
            var step = !mechanism.CountsAsDnsLookup && mechanism.Kind is SpfMechanismKind.All or SpfMechanismKind.Ip4 or SpfMechanismKind.Ip6
                ? MatchAddress(state, mechanism)
                : await MatchAsync(state, domain, mechanism).ConfigureAwait(false);
            if (step.Error is { } error)
            {
                return new Outcome(error, step.Reason, mechanism.Text);
            }

            if (!step.Matched)
            {
                continue;
            }

            var result = mechanism.Qualifier switch
            {
                SpfQualifier.Fail => SpfResult.Fail,
                SpfQualifier.SoftFail => SpfResult.SoftFail,
                SpfQualifier.Neutral => SpfResult.Neutral,
                _ => SpfResult.Pass,
            };
            var explanation = result == SpfResult.Fail
                ? await ExplainAsync(state, domain, record).ConfigureAwait(false)
                : $"matched '{mechanism.Text}' in the SPF record of {domain}";
            return new Outcome(result, explanation, mechanism.Text);
        }

        if (record.Redirect is not null)
        {
            // §6.1: redirect is a DNS-querying term; an "all" anywhere in the record would have matched before here.
            if (!state.CountDnsLookup(_options.DnsLookupLimit))
            {
                return new Outcome(SpfResult.PermError, "more than " + _options.DnsLookupLimit + " DNS-querying terms (§4.6.4)", "redirect=" + record.Redirect);
            }

            var (target, expandError) = await ExpandDomainAsync(state, domain, record.Redirect).ConfigureAwait(false);
            if (target is null)
            {
                return new Outcome(SpfResult.PermError, $"redirect={Shorten(record.Redirect)} {expandError}", "redirect=" + record.Redirect);
            }

            var redirected = await CheckDomainAsync(state, target).ConfigureAwait(false);
            if (redirected.Result == SpfResult.None)
            {
                return new Outcome(SpfResult.PermError, $"redirect target {target} has no SPF record (§6.1)", "redirect=" + record.Redirect);
            }

            return redirected with { Mechanism = redirected.Mechanism ?? "redirect=" + record.Redirect };
        }

        return new Outcome(SpfResult.Neutral, $"no mechanism matched in the SPF record of {domain} (§4.7)");
    }

    /// <summary>all (§5.1), ip4 and ip6 (§5.6): no DNS.</summary>
    private static Step MatchAddress(CheckState state, SpfMechanism mechanism)
    {
        if (mechanism.Kind == SpfMechanismKind.All)
        {
            return Step.Match;
        }

        var prefix = mechanism.Kind == SpfMechanismKind.Ip4 ? mechanism.Ip4Prefix ?? 32 : mechanism.Ip6Prefix ?? 128;
        return InNetwork(state.Client, mechanism.Network!, prefix) ? Step.Match : Step.NoMatch;
    }

    /// <summary>
    /// One mechanism: the DNS-lookup limit (§4.6.4), then the target domain (§4.8; one that does not expand to a
    /// valid name is a permerror), then the mechanism's own lookups (§5.2–§5.7).
    /// </summary>
    private async Task<Step> MatchAsync(CheckState state, string domain, SpfMechanism mechanism)
    {
        if (mechanism.CountsAsDnsLookup && !state.CountDnsLookup(_options.DnsLookupLimit))
        {
            return Step.Fail(SpfResult.PermError, $"more than {_options.DnsLookupLimit} DNS-querying terms (§4.6.4)");
        }

        if (mechanism.Kind is SpfMechanismKind.All or SpfMechanismKind.Ip4 or SpfMechanismKind.Ip6)
        {
            return MatchAddress(state, mechanism);
        }

        var (target, expandError) = await TargetAsync(state, domain, mechanism).ConfigureAwait(false);
        if (target is null)
        {
            return Step.Fail(SpfResult.PermError, $"'{Shorten(mechanism.Text)}' {expandError}");
        }

        return mechanism.Kind switch
        {
            SpfMechanismKind.Include => await MatchIncludeAsync(state, target).ConfigureAwait(false),
            SpfMechanismKind.A => await MatchAAsync(state, target, mechanism).ConfigureAwait(false),
            SpfMechanismKind.Mx => await MatchMxAsync(state, target, mechanism).ConfigureAwait(false),
            SpfMechanismKind.Ptr => await MatchPtrAsync(state, target).ConfigureAwait(false),
            SpfMechanismKind.Exists => await MatchExistsAsync(state, target).ConfigureAwait(false),
            _ => throw new InvalidOperationException($"unhandled mechanism {mechanism.Kind}"),
        };
    }

    /// <summary>include (§5.2): pass matches; fail, softfail and neutral do not; temperror propagates; permerror and none are permerror.</summary>
    private async Task<Step> MatchIncludeAsync(CheckState state, string target)
    {
        var included = await CheckDomainAsync(state, target).ConfigureAwait(false);
        return included.Result switch
        {
            SpfResult.Pass => Step.Match,
            SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => Step.NoMatch,
            SpfResult.TempError => Step.Fail(SpfResult.TempError, $"include:{target}: {included.Reason}"),
            SpfResult.None => Step.Fail(SpfResult.PermError, $"include:{target} has no SPF record (§5.2)"),
            _ => Step.Fail(SpfResult.PermError, $"include:{target}: {included.Reason}"),
        };
    }

    /// <summary>a (§5.3): the target's addresses of the client's family, within the CIDR length.</summary>
    private async Task<Step> MatchAAsync(CheckState state, string target, SpfMechanism mechanism)
    {
        var addresses = await LookupAddressesAsync(state.Client.AddressFamily, target, state.CancellationToken).ConfigureAwait(false);
        if (CheckVoid(state, addresses) is { } voidStep)
        {
            return voidStep;
        }

        return addresses.Records.Any(a => InNetwork(state.Client, a, Prefix(state.Client, mechanism))) ? Step.Match : Step.NoMatch;
    }

    /// <summary>mx (§5.4): the addresses of the target's exchanges, at most 10 of them (§4.6.4).</summary>
    private async Task<Step> MatchMxAsync(CheckState state, string target, SpfMechanism mechanism)
    {
        var ct = state.CancellationToken;
        var mx = await _dns.LookupMxAsync(target, ct).ConfigureAwait(false);
        if (CheckVoid(state, mx) is { } voidStep)
        {
            return voidStep;
        }

        if (mx.Records.Count > _options.PerMechanismAddressLimit)
        {
            return Step.Fail(SpfResult.PermError, $"{target} has more than {_options.PerMechanismAddressLimit} MX records (§4.6.4)");
        }

        foreach (var exchange in mx.Records.OrderBy(r => r.Preference))
        {
            var addresses = await LookupAddressesAsync(state.Client.AddressFamily, exchange.Exchange, ct).ConfigureAwait(false);
            if (addresses.Status == DnsResultStatus.TemporaryFailure)
            {
                return Step.Fail(SpfResult.TempError, $"DNS error looking up {exchange.Exchange}: {addresses.Error}");
            }

            if (addresses.Records.Any(a => InNetwork(state.Client, a, Prefix(state.Client, mechanism))))
            {
                return Step.Match;
            }
        }

        return Step.NoMatch;
    }

    /// <summary>ptr (§5.5): a validated reverse name of the client that is the target or below it.</summary>
    private async Task<Step> MatchPtrAsync(CheckState state, string target)
    {
        var names = await ValidatedNamesAsync(state, countVoid: true).ConfigureAwait(false);
        if (names.Error is not null)
        {
            return Step.Fail(SpfResult.PermError, names.Error);
        }

        return names.Names.Any(n => IsSameOrSubdomain(n, target)) ? Step.Match : Step.NoMatch;
    }

    /// <summary>exists (§5.7): always an A query, whatever the client's address family.</summary>
    private async Task<Step> MatchExistsAsync(CheckState state, string target)
    {
        var addresses = await _dns.LookupAAsync(target, state.CancellationToken).ConfigureAwait(false);
        if (CheckVoid(state, addresses) is { } voidStep)
        {
            return voidStep;
        }

        return addresses.Records.Count > 0 ? Step.Match : Step.NoMatch;
    }

    /// <summary>Temporary failures end the check; void answers count toward the limit of 2 (§4.6.4).</summary>
    private Step? CheckVoid<T>(CheckState state, DnsResult<T> answer)
    {
        if (answer.Status == DnsResultStatus.TemporaryFailure)
        {
            return Step.Fail(SpfResult.TempError, $"DNS error: {answer.Error} (§2.6.6)");
        }

        if (answer.IsVoid && !state.CountVoidLookup(_options.VoidLookupLimit))
        {
            return Step.Fail(SpfResult.PermError, $"more than {_options.VoidLookupLimit} void lookups (§4.6.4)");
        }

        return null;
    }

    private static int Prefix(IPAddress client, SpfMechanism mechanism) =>
        client.AddressFamily == AddressFamily.InterNetwork ? mechanism.Ip4Prefix ?? 32 : mechanism.Ip6Prefix ?? 128;

    private Task<DnsResult<IPAddress>> LookupAddressesAsync(AddressFamily family, string name, CancellationToken ct) =>
        family == AddressFamily.InterNetwork ? _dns.LookupAAsync(name, ct) : _dns.LookupAaaaAsync(name, ct);

    private async Task<(string? Name, string? Error)> TargetAsync(CheckState state, string domain, SpfMechanism mechanism) =>
        mechanism.DomainSpec is null ? (domain, null) : await ExpandDomainAsync(state, domain, mechanism.DomainSpec).ConfigureAwait(false);

    /// <summary>
    /// Expands a domain-spec and makes it a name DNS can take: over 253 characters, labels are dropped from
    /// the left (§4.8); an empty or over-long label makes it invalid. The error says why, for the permerror.
    /// </summary>
    private async Task<(string? Name, string? Error)> ExpandDomainAsync(CheckState state, string domain, string spec)
    {
        var expanded = await SpfMacro.ExpandAsync(spec, MacroContext(state, domain), _options.MaxMacroExpansionLength).ConfigureAwait(false);
        if (expanded is null)
        {
            return (null, $"expands to over {_options.MaxMacroExpansionLength} characters (SpfOptions.MaxMacroExpansionLength)");
        }

        var name = expanded.AsSpan();
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        if (name.Length > 253)
        {
            // §4.8: drop labels from the left until 253 characters remain; the cut is the first dot that leaves
            // at most 253 after it, found once (dropping one label at a time copied the string per label).
            var dot = name.Length - 254;
            var cut = name[dot..].IndexOf('.');
            if (cut < 0)
            {
                return (null, "expands to an invalid domain");
            }

            name = name[(dot + cut + 1)..];
        }

        foreach (var label in name.Split('.'))
        {
            if (label.End.Value - label.Start.Value is 0 or > 63)
            {
                return (null, "expands to an invalid domain");
            }
        }

        return name.Length > 0 ? (name.ToString(), null) : (null, "expands to an invalid domain");
    }

    private SpfMacroContext MacroContext(CheckState state, string domain) => new()
    {
        Sender = state.LocalPart + "@" + state.SenderDomain,
        LocalPart = state.LocalPart,
        SenderDomain = state.SenderDomain,
        Domain = domain,
        Client = state.Client,
        Helo = state.Helo,
        ReceivingHost = _options.ReceivingHost,
        Timestamp = _options.TimeProvider.GetUtcNow(),
        ValidatedNameAsync = async () =>
        {
            // §7.3 %{p}: a validated name that is the domain or below it, else any validated name, else "unknown".
            var names = await ValidatedNamesAsync(state, countVoid: false).ConfigureAwait(false);
            return names.Names.FirstOrDefault(n => IsSameOrSubdomain(n, domain)) ?? names.Names.FirstOrDefault() ?? "unknown";
        },
    };

    /// <summary>
    /// The client's validated reverse names (§5.5): PTR names (at most 10 are tried) whose A/AAAA records include
    /// the client. A failed PTR lookup gives no names: the ptr mechanism then does not match.
    /// </summary>
    private async Task<(IReadOnlyList<string> Names, string? Error)> ValidatedNamesAsync(CheckState state, bool countVoid)
    {
        var ct = state.CancellationToken;
        var ptr = await _dns.LookupPtrAsync(state.Client, ct).ConfigureAwait(false);
        if (countVoid && ptr.IsVoid && !state.CountVoidLookup(_options.VoidLookupLimit))
        {
            return ([], $"more than {_options.VoidLookupLimit} void lookups (§4.6.4)");
        }

        var validated = new List<string>();
        foreach (var name in ptr.Records.Take(_options.PerMechanismAddressLimit))
        {
            var addresses = await LookupAddressesAsync(state.Client.AddressFamily, name, ct).ConfigureAwait(false);
            if (addresses.Records.Any(a => a.Equals(state.Client)))
            {
                validated.Add(DnsName.Normalize(name));
            }
        }

        return (validated, null);
    }

    /// <summary>The explanation for a fail (§6.2): the expanded <c>exp=</c> TXT, or the default when it is unusable.</summary>
    private async Task<string> ExplainAsync(CheckState state, string domain, SpfRecord record)
    {
        if (record.Explanation is null)
        {
            return _options.DefaultExplanation;
        }

        var (target, _) = await ExpandDomainAsync(state, domain, record.Explanation).ConfigureAwait(false);
        if (target is null)
        {
            return _options.DefaultExplanation;
        }

        var answer = await _dns.LookupTxtAsync(target, state.CancellationToken).ConfigureAwait(false);
        if (answer.Status != DnsResultStatus.Success || answer.Records.Count != 1)
        {
            return _options.DefaultExplanation;
        }

        var text = answer.Records[0].Text;
        if (SpfMacro.Validate(text, explanation: true, out _) is not null)
        {
            return _options.DefaultExplanation;
        }

        return await SpfMacro.ExpandAsync(text, MacroContext(state, domain), _options.MaxMacroExpansionLength).ConfigureAwait(false)
            ?? _options.DefaultExplanation;
    }

    /// <summary>A term for a reason: at most 100 characters, so that a reason never repeats a huge record.</summary>
    private static string Shorten(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 97), "...");

    /// <summary>§4.3: a multi-label name, every label 1-63 characters, at most 253 in all; no address literal.</summary>
    private static bool IsCheckableDomain(string domain) =>
        domain.Length is > 0 and <= 253 && !domain.StartsWith('[') && domain.Contains('.', StringComparison.Ordinal)
        && domain.Split('.').All(l => l.Length is > 0 and <= 63);

    private static bool IsSameOrSubdomain(string name, string domain)
    {
        var n = DnsName.Normalize(name);
        var d = DnsName.Normalize(domain);
        return n == d || n.EndsWith("." + d, StringComparison.Ordinal);
    }

    private static bool InNetwork(IPAddress client, IPAddress network, int prefix) => CidrMatch.Contains(network, prefix, client);

    private sealed record Outcome(SpfResult Result, string? Reason, string? Mechanism = null, string? Record = null)
    {
        /// <summary>For fail, the explanation text; otherwise the reason.</summary>
        public string? Explanation => Reason;
    }

    private readonly record struct Step(bool Matched, SpfResult? Error, string? Reason)
    {
        public static Step Match => new(true, null, null);

        public static Step NoMatch => new(false, null, null);

        public static Step Fail(SpfResult result, string reason) => new(false, result, reason);
    }

    /// <summary>What one check_host() call and its recursions share: the client, the sender and the counters.</summary>
    private sealed class CheckState(IPAddress client, string localPart, string senderDomain, string helo, CancellationToken cancellationToken)
    {
        public IPAddress Client { get; } = client;

        public string LocalPart { get; } = localPart;

        public string SenderDomain { get; } = senderDomain;

        public string Helo { get; } = helo;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public int DnsLookups { get; private set; }

        public int VoidLookups { get; private set; }

        public bool CountDnsLookup(int limit) => ++DnsLookups <= limit;

        public bool CountVoidLookup(int limit) => ++VoidLookups <= limit;
    }
}
