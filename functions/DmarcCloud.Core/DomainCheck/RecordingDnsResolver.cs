using System.Globalization;
using System.Net;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>
/// Passes every question to an inner resolver and keeps the first answer to each (name, type), in the order asked:
/// what the checker shows, and what <c>--compare-with</c> asks a second resolver again.
/// </summary>
internal sealed class RecordingDnsResolver(IDnsResolver inner) : IDnsResolver, IDeprecatedSpfTypeResolver
{
    private readonly List<(DnsRecordType Type, DnsAnswer Answer)> _answers = [];
    private readonly HashSet<(string, DnsRecordType)> _seen = [];

    /// <summary>Whether the inner resolver can ask for type SPF.</summary>
    public bool SupportsSpfType => inner is IDeprecatedSpfTypeResolver;

    /// <summary>Every distinct question and its first answer, in order.</summary>
    public IReadOnlyList<DnsAnswer> Answers
    {
        get
        {
            lock (_answers)
            {
                return _answers.Select(a => a.Answer).ToArray();
            }
        }
    }

    public async Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default) =>
        Record(name, DnsRecordType.Txt, await inner.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false), t => t.Text);

    public async Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) =>
        Record(name, DnsRecordType.A, await inner.LookupAAsync(name, cancellationToken).ConfigureAwait(false), a => a.ToString());

    public async Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) =>
        Record(name, DnsRecordType.Aaaa, await inner.LookupAaaaAsync(name, cancellationToken).ConfigureAwait(false), a => a.ToString());

    public async Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) =>
        Record(name, DnsRecordType.Mx, await inner.LookupMxAsync(name, cancellationToken).ConfigureAwait(false), Mx);

    public async Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        Record(DnsName.ReverseName(address), DnsRecordType.Ptr, await inner.LookupPtrAsync(address, cancellationToken).ConfigureAwait(false), n => n);

    public async Task<DnsResult<TxtRecord>> LookupSpfTypeAsync(string name, CancellationToken cancellationToken = default)
    {
        if (inner is not IDeprecatedSpfTypeResolver spf)
        {
            throw new NotSupportedException("the inner resolver cannot ask for type SPF; check SupportsSpfType first");
        }

        var result = await spf.LookupSpfTypeAsync(name, cancellationToken).ConfigureAwait(false);
        return Record(name, DnsRecordType.Spf, result, t => t.Text);
    }

    /// <summary>Asks <paramref name="other"/> every question recorded here, and pairs the answers.</summary>
    public async Task<IReadOnlyList<AnswerComparison>> CompareWithAsync(IDnsResolver other, CancellationToken cancellationToken)
    {
        var comparisons = new List<AnswerComparison>();
        foreach (var (type, answer) in Snapshot())
        {
            var second = await AskAsync(other, answer.Name, type, cancellationToken).ConfigureAwait(false);
            if (second is not null)
            {
                comparisons.Add(new AnswerComparison(answer.Name, answer.Type, answer, second, answer.SameAs(second)));
            }
        }

        return comparisons;
    }

    internal static string Mx(MxRecord mx) => mx.Preference.ToString(CultureInfo.InvariantCulture) + " " + mx.Exchange;

    internal static DnsAnswer ToAnswer<T>(string name, DnsRecordType type, DnsResult<T> result, Func<T, string> text) =>
        new(DnsName.Normalize(name), type, result.Status, result.Records.Select(text).Order(StringComparer.Ordinal).ToArray(), result.Error);

    private static async Task<DnsAnswer?> AskAsync(IDnsResolver dns, string name, DnsRecordType type, CancellationToken cancellationToken) => type switch
    {
        DnsRecordType.Txt => ToAnswer(name, type, await dns.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false), t => t.Text),
        DnsRecordType.A => ToAnswer(name, type, await dns.LookupAAsync(name, cancellationToken).ConfigureAwait(false), a => a.ToString()),
        DnsRecordType.Aaaa => ToAnswer(name, type, await dns.LookupAaaaAsync(name, cancellationToken).ConfigureAwait(false), a => a.ToString()),
        DnsRecordType.Mx => ToAnswer(name, type, await dns.LookupMxAsync(name, cancellationToken).ConfigureAwait(false), Mx),
        DnsRecordType.Spf when dns is IDeprecatedSpfTypeResolver spf =>
            ToAnswer(name, type, await spf.LookupSpfTypeAsync(name, cancellationToken).ConfigureAwait(false), t => t.Text),
        _ => null, // PTR questions are asked by address, not by name; the checker asks none
    };

    private (DnsRecordType Type, DnsAnswer Answer)[] Snapshot()
    {
        lock (_answers)
        {
            return [.. _answers];
        }
    }

    private DnsResult<T> Record<T>(string name, DnsRecordType type, DnsResult<T> result, Func<T, string> text)
    {
        var answer = ToAnswer(name, type, result, text);
        lock (_answers)
        {
            if (_seen.Add((answer.Name, type)))
            {
                _answers.Add((type, answer));
            }
        }

        return result;
    }
}
