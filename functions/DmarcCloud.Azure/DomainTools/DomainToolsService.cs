using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Azure.DomainTools;

/// <summary>
/// The domain tools behind the API and the dashboard (issue 17; docs/domain-tools.md): the checker over the app's DNS
/// resolver, and the rollout advisor and policy simulator over the aggregate reports the platform received about the
/// domain (<see cref="ReceivedTrafficReader"/>).
/// </summary>
public sealed class DomainToolsService
{
    /// <summary>The default window in days, as the received-report API's.</summary>
    public const int DefaultDays = ReceivedReportQueryService.DefaultDays;

    private readonly IDnsResolver _dns;
    private readonly ReceivedTrafficReader _traffic;
    private readonly DomainCheckOptions _checkOptions;
    private readonly RolloutOptions _rolloutOptions;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public DomainToolsService(IDnsResolver dns, ReceivedTrafficReader traffic, DomainCheckOptions? checkOptions = null, RolloutOptions? rolloutOptions = null, TimeProvider? time = null)
    {
        _dns = dns ?? throw new ArgumentNullException(nameof(dns));
        _traffic = traffic ?? throw new ArgumentNullException(nameof(traffic));
        _checkOptions = checkOptions ?? new DomainCheckOptions();
        _rolloutOptions = rolloutOptions ?? new RolloutOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The window of <paramref name="days"/> whole UTC days ending today (or on <paramref name="to"/>).</summary>
    public (DateOnly From, DateOnly To) Window(int days = DefaultDays, DateOnly? to = null)
    {
        days = Math.Clamp(days, 1, 366);
        var last = to ?? DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        return (last.AddDays(1 - days), last);
    }

    /// <summary>Audits the domain's published DMARC, SPF and DKIM records.</summary>
    public Task<DomainCheckReport> CheckAsync(string domain, IReadOnlyList<string>? selectors = null, CancellationToken cancellationToken = default) =>
        new DomainChecker(_dns, _checkOptions).CheckAsync(domain, selectors, null, cancellationToken);

    /// <summary>The rollout advice for the domain over the window, from its published record and its received reports.</summary>
    public async Task<DomainAdvice> AdviseAsync(string domain, int days = DefaultDays, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        domain = DnsName.Normalize(domain);
        var (from, last) = Window(days, to);
        var lookup = await new DmarcPolicyDiscovery(_dns).FindPolicyAsync(domain, DiscoveryMethod.TreeWalk, cancellationToken).ConfigureAwait(false);
        if (lookup.Status == DmarcPolicyLookupStatus.TempError)
        {
            return new DomainAdvice(domain, from, last, lookup.Status, null, 0, [], null, $"the DMARC record of {domain} could not be read ({lookup.Error})");
        }

        var current = lookup.PolicyDomain == domain ? lookup.Record : null;
        var traffic = await _traffic.ReadAsync(domain, from, last, cancellationToken).ConfigureAwait(false);
        var advice = RolloutAdvisor.Advise(domain, current, traffic.Rows, from, last, _checkOptions.ReportMailbox, _rolloutOptions);
        var published = current is null ? null : lookup.Queries
            .Where(q => q.Name == "_dmarc." + domain && q.Type == DnsRecordType.Txt)
            .SelectMany(q => q.Records)
            .FirstOrDefault(r => r.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase));
        return new DomainAdvice(domain, from, last, lookup.Status, published, traffic.Reports, traffic.Warnings, advice, null);
    }

    /// <summary>Replays the domain's received reports over the window under <paramref name="policy"/>.</summary>
    public async Task<DomainSimulation> SimulateAsync(string domain, SimulatedPolicy policy, int days = DefaultDays, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        domain = DnsName.Normalize(domain);
        var (from, last) = Window(days, to);
        var traffic = await _traffic.ReadAsync(domain, from, last, cancellationToken).ConfigureAwait(false);
        var simulation = PolicySimulator.Simulate(domain, traffic.Rows, policy, from, last, _rolloutOptions);
        return new DomainSimulation(domain, traffic.Reports, traffic.Warnings, simulation);
    }
}
