using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Core.Reporting;

/// <summary>Where verdicts are kept for the daily aggregation. Implemented over Azure Table Storage.</summary>
/// <remarks>Days are UTC days of <see cref="SmtpEnvelope.ReceivedAt"/>; schema and limits in docs/storage.md.</remarks>
public interface IVerdictStore
{
    /// <summary>Stores a verdict. Idempotent: saving the same <paramref name="messageKey"/> again changes nothing counted.</summary>
    Task SaveAsync(string messageKey, Verdict verdict, CancellationToken cancellationToken = default);

    /// <summary>The policy domains that have reportable verdicts on <paramref name="day"/>.</summary>
    IAsyncEnumerable<string> ListPolicyDomainsAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Streams the reportable verdicts of one policy domain on one day (any order).</summary>
    IAsyncEnumerable<ReportableVerdict> ReadAsync(DateOnly day, string policyDomain, CancellationToken cancellationToken = default);
}
