namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>Names of the tables and the container that hold received reports (docs/received-reports.md).</summary>
public sealed class ReceivedReportStoreOptions
{
    /// <summary>The blob container for raw received files.</summary>
    public string Container { get; set; } = "received-reports";

    /// <summary>Prefix of every table name (tests use a unique one per test).</summary>
    public string TablePrefix { get; set; } = "Received";

    /// <summary>Most table batches written at once.</summary>
    public int WriteParallelism { get; set; } = 4;
}
