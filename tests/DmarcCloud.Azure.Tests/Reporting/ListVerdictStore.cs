using System.Collections.Concurrent;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Tests.Reporting;

/// <summary>
/// An in-memory <see cref="IVerdictStore"/> holding reportable verdicts, for as long as the Azure Tables store of
/// the functions branch is not in this tree. Same contract: per UTC day of ReceivedAt, per policy domain.
/// </summary>
internal sealed class ListVerdictStore : IVerdictStore
{
    private readonly ConcurrentDictionary<string, ReportableVerdict> _verdicts = new(StringComparer.Ordinal);

    public void Add(ReportableVerdict verdict) => _verdicts[verdict.MessageKey + "|" + verdict.Policy.Domain] = verdict;

    public Task SaveAsync(string messageKey, Verdict verdict, CancellationToken cancellationToken = default)
    {
        if (ReportableVerdict.FromVerdict(messageKey, verdict) is ReportableVerdict reportable)
        {
            Add(reportable);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListPolicyDomainsAsync(DateOnly day, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var domain in _verdicts.Values.Where(v => DateOnly.FromDateTime(v.ReceivedAt.UtcDateTime) == day).Select(v => v.Policy.Domain).Distinct().Order(StringComparer.Ordinal))
        {
            yield return domain;
        }
    }

    public async IAsyncEnumerable<ReportableVerdict> ReadAsync(DateOnly day, string policyDomain, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var v in _verdicts.Values.Where(v => DateOnly.FromDateTime(v.ReceivedAt.UtcDateTime) == day && v.Policy.Domain == policyDomain))
        {
            yield return v;
        }
    }
}
