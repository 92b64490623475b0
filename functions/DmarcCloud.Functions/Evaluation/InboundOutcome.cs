using DmarcCloud.Core.Evaluation;
using DmarcCloud.Functions.ReportMail;

namespace DmarcCloud.Functions.Evaluation;

/// <summary>The result of processing one inbound message.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Reason">Why it was rejected or must be retried; a summary when evaluated.</param>
/// <param name="MessageKey">The message key, when the blob was read.</param>
/// <param name="Blob">The blob (<c>container/name</c>), when the event named one.</param>
/// <param name="Verdict">The verdict, when evaluated.</param>
/// <param name="FailureReportOptions">The <c>fo</c> options that ask for a failure report (empty: none).</param>
/// <param name="ReportMail">What report ingest did with it, when it was addressed to a report mailbox.</param>
public sealed record InboundOutcome(
    InboundOutcomeStatus Status,
    string Reason,
    string? MessageKey = null,
    string? Blob = null,
    Verdict? Verdict = null,
    IReadOnlyList<string>? FailureReportOptions = null,
    ReportMailOutcome? ReportMail = null);
