using System.Globalization;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Groups a day's verdicts of one policy domain into report rows. It reads the verdicts as a stream and keeps
/// one accumulator per distinct row, so memory grows with the number of distinct rows, not of messages.
/// </summary>
/// <remarks>
/// RFC 9990 §3: a row per (source IP, policy_evaluated, identifiers, auth_results) with its count; one
/// report per policy configuration (§2.1); at most 100 DKIM results per row, aligned passes first (§3.1.6).
/// </remarks>
public sealed class AggregateReportBuilder
{
    /// <summary>RFC 9990 §3.1.6: a row carries at most this many DKIM results.</summary>
    public const int MaxDkimResultsPerRow = 100;

    private const char Separator = '\u001F';

    private readonly bool _maskReservedSourceIps;

    /// <summary>Creates a builder.</summary>
    /// <param name="maskReservedSourceIps">Report private and reserved source IPs as the unspecified address.</param>
    public AggregateReportBuilder(bool maskReservedSourceIps = false)
    {
        _maskReservedSourceIps = maskReservedSourceIps;
    }

    /// <summary>Groups <paramref name="verdicts"/> (one policy domain, one UTC day, any order) into one content per policy configuration.</summary>
    /// <returns>The contents ordered by configuration key; empty when there were no verdicts.</returns>
    public async Task<IReadOnlyList<AggregateReportContent>> BuildAsync(
        IAsyncEnumerable<ReportableVerdict> verdicts, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var configurations = new Dictionary<string, Configuration>(StringComparer.Ordinal);
        await foreach (var verdict in verdicts.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var configurationKey = ConfigurationKeyOf(verdict.Policy);
            if (!configurations.TryGetValue(configurationKey, out var configuration))
            {
                configuration = new Configuration(verdict.Policy);
                configurations.Add(configurationKey, configuration);
            }

            var row = RowOf(verdict);
            if (configuration.Rows.TryGetValue(row, out var existing))
            {
                existing.Count++;
            }
            else
            {
                configuration.Rows.Add(row, new Accumulator());
            }
        }

        return configurations
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c =>
            {
                // A stable order, independent of arrival order, so a rebuilt report is byte-identical.
                var key = new StringBuilder(256);
                var rows = c.Value.Rows
                    .Select(r => r.Key with { Count = r.Value.Count })
                    .OrderBy(r => RowKeyOf(r, key), StringComparer.Ordinal)
                    .ToList();
                return new AggregateReportContent(day, c.Value.Policy, c.Key, rows, rows.Sum(r => r.Count));
            })
            .ToList();
    }

    /// <summary>The text that tells policy configurations apart: every <c>policy_published</c> field and the destinations.</summary>
    public static string ConfigurationKeyOf(PublishedPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return string.Join(
            ';',
            policy.Domain.ToLowerInvariant(),
            "p=" + policy.P,
            "sp=" + policy.Sp,
            "np=" + policy.Np,
            "adkim=" + policy.Adkim,
            "aspf=" + policy.Aspf,
            "t=" + policy.Testing,
            "psd=" + RfcName.Of(policy.Psd),
            "pct=" + policy.Pct?.ToString(CultureInfo.InvariantCulture),
            "fo=" + policy.Fo,
            "rua=" + string.Join(',', policy.Rua),
            "discovery=" + policy.DiscoveryMethod);
    }

    /// <summary>The disposition to report for a verdict.</summary>
    /// <remarks>RFC 9990: <c>pass</c> when the message passed DMARC and the policy requested for it enforces
    /// (quarantine or reject); the requested policy is <c>p</c> for the policy domain itself, else <c>sp</c> (or <c>p</c>).</remarks>
    public static ReportDisposition DispositionOf(ReportableVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        switch (verdict.Disposition)
        {
            case Disposition.Quarantine:
                return ReportDisposition.Quarantine;
            case Disposition.Reject:
                return ReportDisposition.Reject;
        }

        if (verdict.Result != DmarcResult.Pass)
        {
            return ReportDisposition.None;
        }

        var policy = verdict.Policy;
        var requested = string.Equals(verdict.HeaderFrom, policy.Domain, StringComparison.OrdinalIgnoreCase)
            ? policy.P
            : policy.Sp ?? policy.P;
        return requested == DmarcPolicy.None ? ReportDisposition.None : ReportDisposition.Pass;
    }

    /// <summary>The DKIM results a row reports: aligned-looking passes first, then other passes, then the rest, at most 100.</summary>
    /// <remarks>
    /// Alignment proper needs the organizational domain (a DNS walk); the builder is pure, so a pass counts as
    /// "aligned-looking" when its <c>d=</c> equals the From domain or one is a subdomain of the other. Order is
    /// only decisive for rows with more than 100 signatures.
    /// </remarks>
    public static IReadOnlyList<DkimSignatureResult> OrderDkim(IReadOnlyList<DkimSignatureResult> dkim, string headerFrom)
    {
        ArgumentNullException.ThrowIfNull(dkim);
        if (dkim.Count == 0)
        {
            return [];
        }

        return dkim
            .Select((d, i) => (d, i, rank: d.Result != DkimResult.Pass ? 2 : Related(d.Domain, headerFrom) ? 0 : 1))
            .OrderBy(x => x.rank)
            .ThenBy(x => x.i)
            .Take(MaxDkimResultsPerRow)
            .Select(x => x.d)
            .ToList();
    }

    private static bool Related(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || a.EndsWith("." + b, StringComparison.OrdinalIgnoreCase)
        || b.EndsWith("." + a, StringComparison.OrdinalIgnoreCase);

    private AggregateReportRow RowOf(ReportableVerdict v)
    {
        var sourceIp = _maskReservedSourceIps ? SourceIpMasking.Mask(v.SourceIp) : v.SourceIp;
        return new AggregateReportRow(
            sourceIp,
            1,
            DispositionOf(v),
            v.DkimAligned,
            v.SpfAligned,
            v.Overrides,
            v.HeaderFrom.ToLowerInvariant(),
            v.EnvelopeFrom?.ToLowerInvariant(),
            v.EnvelopeTo?.ToLowerInvariant(),
            OrderDkim(v.Dkim, v.HeaderFrom),
            v.Spf);
    }

    private static string RowKeyOf(AggregateReportRow row, StringBuilder key)
    {
        key.Clear();
        key.Append(row.SourceIp).Append(Separator)
            .Append((int)row.Disposition).Append(row.DkimAligned ? '1' : '0').Append(row.SpfAligned ? '1' : '0').Append(Separator)
            .Append(row.HeaderFrom).Append(Separator)
            .Append(row.EnvelopeFrom).Append(Separator)
            .Append(row.EnvelopeTo).Append(Separator);
        foreach (var reason in row.Reasons)
        {
            key.Append((int)reason.Type).Append(':').Append(reason.Comment).Append(Separator);
        }

        key.Append('|');
        foreach (var d in row.Dkim)
        {
            key.Append(d.Domain).Append(':').Append(d.Selector).Append(':').Append((int)d.Result).Append(Separator);
        }

        key.Append('|');
        if (row.Spf is SpfCheckResult spf)
        {
            key.Append(spf.Domain).Append(':').Append((int)spf.Identity).Append(':').Append((int)spf.Result);
        }

        return key.ToString();
    }

    private sealed class Configuration(PublishedPolicy policy)
    {
        public PublishedPolicy Policy { get; } = policy;

        /// <summary>Distinct rows (compared without their count) and how many messages each stands for.</summary>
        public Dictionary<AggregateReportRow, Accumulator> Rows { get; } = new(RowComparer.Instance);
    }

    private sealed class Accumulator
    {
        public long Count { get; set; } = 1;
    }

    /// <summary>Row equality on every reported field except the count (no per-row key string is kept: memory per row stays small).</summary>
    private sealed class RowComparer : IEqualityComparer<AggregateReportRow>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(AggregateReportRow? x, AggregateReportRow? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null)
            {
                return false;
            }

            return x.SourceIp == y.SourceIp && x.Disposition == y.Disposition && x.DkimAligned == y.DkimAligned && x.SpfAligned == y.SpfAligned
                && x.HeaderFrom == y.HeaderFrom && x.EnvelopeFrom == y.EnvelopeFrom && x.EnvelopeTo == y.EnvelopeTo
                && SameSpf(x.Spf, y.Spf)
                && x.Reasons.Count == y.Reasons.Count && x.Reasons.Zip(y.Reasons).All(p => p.First.Type == p.Second.Type && p.First.Comment == p.Second.Comment)
                && x.Dkim.Count == y.Dkim.Count && x.Dkim.Zip(y.Dkim).All(p => p.First.Result == p.Second.Result && p.First.Domain == p.Second.Domain && p.First.Selector == p.Second.Selector);
        }

        public int GetHashCode(AggregateReportRow obj)
        {
            var hash = new HashCode();
            hash.Add(obj.SourceIp);
            hash.Add(obj.Disposition);
            hash.Add(obj.DkimAligned);
            hash.Add(obj.SpfAligned);
            hash.Add(obj.HeaderFrom);
            hash.Add(obj.EnvelopeFrom);
            hash.Add(obj.EnvelopeTo);
            hash.Add(obj.Dkim.Count);
            foreach (var d in obj.Dkim)
            {
                hash.Add(d.Domain);
                hash.Add(d.Result);
            }

            hash.Add(obj.Spf?.Result);
            return hash.ToHashCode();
        }

        private static bool SameSpf(SpfCheckResult? a, SpfCheckResult? b) =>
            a is null ? b is null : b is not null && a.Result == b.Result && a.Identity == b.Identity && a.Domain == b.Domain;
    }
}
