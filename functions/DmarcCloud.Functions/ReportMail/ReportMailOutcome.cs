using DmarcCloud.Azure.ReceivedReports;

namespace DmarcCloud.Functions.ReportMail;

/// <summary>What became of a message addressed to a report mailbox.</summary>
/// <param name="Accepted">Its own DMARC result (or a trusted ARC chain) let it in; false: refused and recorded in <c>ReceivedRejections</c>.</param>
/// <param name="Summary">One line: what was stored, or why it was refused.</param>
/// <param name="Result">The ingest outcome per report, when accepted.</param>
public sealed record ReportMailOutcome(bool Accepted, string Summary, IngestResult? Result);
