using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Core.Reporting.Failure;

/// <summary>What one failure report is about: the verdict, the original message and why the report is due.</summary>
/// <param name="RequestId">The request's stable id (the message key); seeds the report's Message-ID.</param>
/// <param name="Verdict">The evaluation of the failed message.</param>
/// <param name="OriginalMessage">The message as received (raw RFC 5322 bytes).</param>
/// <param name="Fired">The <c>fo</c> options that fired (<see cref="FailureReportTriggers.Due"/>).</param>
/// <param name="Incidents">How many identical failures the report stands for (RFC 5965 §3.2 <c>Incidents</c>; 1 for one message).</param>
public sealed record FailureReportInput(string RequestId, Verdict Verdict, ReadOnlyMemory<byte> OriginalMessage, FailureReportOptions Fired, int Incidents = 1);
