using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.Dmarc;

/// <summary>
/// Finds the DMARC policy record of an author domain and the organizational domain of any name, by the
/// RFC 9989 DNS tree walk (default) or the RFC 7489 Public Suffix List method. One instance serves one message:
/// it remembers every <c>_dmarc</c> answer, so the walks for the author and for each identifier share queries.
/// </summary>
/// <remarks>
/// RFC 9989 §4.10 (tree walk: at most 8 queries, names of more than 8 labels jump to 7 labels after the first
/// query, a record with <c>psd=y</c> or <c>psd=n</c> ends the walk, several DMARC records at one name are all
/// discarded), §4.10.1 (organizational domain), RFC 7489 §6.6.3 (policy discovery with the PSL). A DNS failure
/// anywhere is reported as such (temperror), never as "no record".
/// </remarks>
public sealed class DmarcPolicyDiscovery
{
    /// <summary>RFC 9989 §4.10: the walk makes at most this many queries.</summary>
    public const int MaxTreeWalkQueries = 8;

    private readonly IDnsResolver _dns;
    private readonly PublicSuffixList _psl;
    private readonly Dictionary<string, Task<Answer>> _answers = new(StringComparer.Ordinal);
    private readonly List<DmarcDnsQuery> _queries = [];

    /// <summary>Creates a discovery over <paramref name="dns"/>; <paramref name="publicSuffixList"/> is used in PSL mode (default: the embedded list).</summary>
    public DmarcPolicyDiscovery(IDnsResolver dns, PublicSuffixList? publicSuffixList = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _dns = dns;
        _psl = publicSuffixList ?? PublicSuffixList.Embedded;
    }

    /// <summary>Every DMARC DNS query this instance made, in order.</summary>
    public IReadOnlyList<DmarcDnsQuery> Queries
    {
        get
        {
            lock (_queries)
            {
                return [.. _queries];
            }
        }
    }

    /// <summary>
    /// The names the RFC 9989 tree walk queries for <paramref name="domain"/>, longest first: the name itself, then
    /// (for more than 8 labels) its last 7 labels, then one label fewer each step down to the top-level name.
    /// </summary>
    public static IReadOnlyList<string> TreeWalkNames(string domain)
    {
        var labels = DnsName.Normalize(domain).Split('.');
        var names = new List<string> { string.Join('.', labels) };
        var start = labels.Length > MaxTreeWalkQueries ? labels.Length - (MaxTreeWalkQueries - 1) : 1;
        for (var i = start; i < labels.Length; i++)
        {
            names.Add(string.Join('.', labels[i..]));
        }

        return names;
    }

    /// <summary>Discovers the policy record for <paramref name="authorDomain"/>.</summary>
    public async Task<DmarcPolicyLookup> FindPolicyAsync(string authorDomain, DiscoveryMethod method, CancellationToken cancellationToken = default)
    {
        var domain = DnsName.Normalize(authorDomain);
        var before = Queries.Count;
        DmarcPolicyLookup Result(DmarcPolicyLookupStatus status, string? policyDomain, DmarcRecordParseResult? parsed, string? error = null) =>
            new(status, domain, method, policyDomain, parsed, Queries.Skip(before).ToArray(), error);

        foreach (var name in PolicyCandidates(domain, method))
        {
            var answer = await GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (answer.TempError is not null)
            {
                return Result(DmarcPolicyLookupStatus.TempError, name, null, $"_dmarc.{name}: {answer.TempError}");
            }

            if (method == DiscoveryMethod.Psl && answer.DmarcRecords.Count > 1)
            {
                // RFC 7489 §6.6.3 step 3: several records end discovery; DMARC is not applied. (The tree walk
                // discards them and goes on: RFC 9989 §4.10 step 3.)
                return Result(DmarcPolicyLookupStatus.NoPolicy, name, null, $"_dmarc.{name}: several DMARC records");
            }

            if (answer.Single is { } parsed)
            {
                // The first (longest) name with exactly one DMARC record holds the policy.
                return parsed.IsUsable
                    ? Result(DmarcPolicyLookupStatus.Found, name, parsed)
                    : Result(DmarcPolicyLookupStatus.Unusable, name, parsed, string.Join("; ", parsed.Errors));
            }
        }

        return Result(DmarcPolicyLookupStatus.NoPolicy, null, null, method == DiscoveryMethod.TreeWalk
            ? "no DMARC record found by the tree walk"
            : "no DMARC record at the author or organizational domain");
    }

    /// <summary>The organizational domain of <paramref name="domain"/> by <paramref name="method"/>.</summary>
    public async Task<OrganizationalDomainLookup> FindOrganizationalDomainAsync(string domain, DiscoveryMethod method, CancellationToken cancellationToken = default)
    {
        var name0 = DnsName.Normalize(domain);
        if (method == DiscoveryMethod.Psl)
        {
            return new OrganizationalDomainLookup(name0, _psl.GetOrganizationalDomain(name0), method);
        }

        // RFC 9989 §4.10.1: walk from the longest name down; a record with psd=n makes that name the
        // organizational domain, psd=y makes it the name one label below the PSD, otherwise it is the shortest
        // name with a DMARC record; with no record at all, the name itself.
        var labels = name0.Split('.');
        string? shortestWithRecord = null;
        foreach (var name in TreeWalkNames(name0))
        {
            var answer = await GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (answer.TempError is not null)
            {
                return new OrganizationalDomainLookup(name0, null, method, $"_dmarc.{name}: {answer.TempError}");
            }

            if (answer.Single?.Record is not { } record)
            {
                continue;
            }

            if (record.Psd == PsdFlag.No)
            {
                return new OrganizationalDomainLookup(name0, name, method);
            }

            if (record.Psd == PsdFlag.Yes)
            {
                var psdLabels = name.Split('.').Length;
                var orgLabels = Math.Min(psdLabels + 1, labels.Length);
                return new OrganizationalDomainLookup(name0, string.Join('.', labels[^orgLabels..]), method);
            }

            shortestWithRecord = name;
        }

        return new OrganizationalDomainLookup(name0, shortestWithRecord ?? name0, method);
    }

    /// <summary>Whether <paramref name="domain"/> exists in the DNS (RFC 9989 <c>np</c>): NXDOMAIN means it does not.</summary>
    /// <returns>True or false, or null on a DNS failure (temperror).</returns>
    public async Task<(bool? Exists, string? Error)> DomainExistsAsync(string domain, CancellationToken cancellationToken = default)
    {
        // RFC 9989 §4.7 np / RFC 8020: NXDOMAIN for the name means it and everything below do not exist; any
        // other answer (records or NODATA) means it exists. One A query answers that.
        var name = DnsName.Normalize(domain);
        var result = await _dns.LookupAAsync(name, cancellationToken).ConfigureAwait(false);
        Record(new DmarcDnsQuery(name, DnsRecordType.A, result.Status, result.Records.Select(r => r.ToString()).ToArray(), result.Error));
        return result.Status switch
        {
            DnsResultStatus.TemporaryFailure => (null, $"{name} A: {result.Error}"),
            DnsResultStatus.NxDomain => (false, null),
            _ => (true, null),
        };
    }

    /// <summary>
    /// The names whose <c>_dmarc</c> record may hold the policy, in query order: the tree walk's names (RFC 9989
    /// §4.10), or the author domain then its PSL organizational domain (RFC 7489 §6.6.3).
    /// </summary>
    private IReadOnlyList<string> PolicyCandidates(string domain, DiscoveryMethod method)
    {
        if (method == DiscoveryMethod.TreeWalk)
        {
            return TreeWalkNames(domain);
        }

        var org = _psl.GetOrganizationalDomain(domain);
        return org == domain ? [domain] : [domain, org];
    }

    private Task<Answer> GetAsync(string name, CancellationToken cancellationToken)
    {
        lock (_answers)
        {
            if (!_answers.TryGetValue(name, out var task))
            {
                task = QueryAsync(name, cancellationToken);
                _answers[name] = task;
            }

            return task;
        }
    }

    private async Task<Answer> QueryAsync(string name, CancellationToken cancellationToken)
    {
        var qname = "_dmarc." + name;
        var result = await _dns.LookupTxtAsync(qname, cancellationToken).ConfigureAwait(false);
        Record(new DmarcDnsQuery(qname, DnsRecordType.Txt, result.Status, result.Records.Select(r => r.Text).ToArray(), result.Error));
        if (result.Status == DnsResultStatus.TemporaryFailure)
        {
            return new Answer(result.Error ?? "temporary failure", []);
        }

        // Records that do not start with v=DMARC1 are discarded (RFC 9989 §4.10 step 2).
        var dmarc = result.Records.Select(r => DmarcRecord.Parse(r.Text)).Where(p => p.IsDmarcRecord).ToArray();
        return new Answer(null, dmarc);
    }

    private void Record(DmarcDnsQuery query)
    {
        lock (_queries)
        {
            _queries.Add(query);
        }
    }

    private sealed record Answer(string? TempError, IReadOnlyList<DmarcRecordParseResult> DmarcRecords)
    {
        /// <summary>The one DMARC record at this name; null for none or several (several are all discarded).</summary>
        public DmarcRecordParseResult? Single => DmarcRecords.Count == 1 ? DmarcRecords[0] : null;
    }
}
