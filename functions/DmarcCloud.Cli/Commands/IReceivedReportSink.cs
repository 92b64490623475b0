using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Cli.Commands;

/// <summary>Where <c>ingest --store</c> sends what it read (the Azure received-report store, or a test double).</summary>
internal interface IReceivedReportSink
{
    /// <summary>Stores the reports of one file and its raw bytes; returns a one-line outcome for the console.</summary>
    Task<string> StoreAsync(ReceivedReportFile result, byte[] raw, string fileName, CancellationToken cancellationToken);
}
