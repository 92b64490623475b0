namespace DmarcCloud.Azure;

/// <summary>
/// The names code and infrastructure must agree on: containers, queues, tables, connection settings.
/// <c>infra/</c> declares the same names, and <c>tests/DmarcCloud.Infra.Tests</c> fails when the two sides
/// (this class, the Worker SDK's <c>functions.metadata</c>, the compiled Bicep) drift (docs/architecture.md).
/// </summary>
public static class ResourceNames
{
    /// <summary>Blob container the mail gateway writes one blob per message to.</summary>
    public const string InboundContainer = "inbound";

    /// <summary>Blob container holding built aggregate reports (gzip).</summary>
    public const string ReportsContainer = "reports";

    /// <summary>Blob container Event Grid dead-letters BlobCreated events to when the queue cannot take them.</summary>
    public const string InboundDeadLetterContainer = "inbound-deadletter";

    /// <summary>Storage queue Event Grid delivers <c>inbound</c> BlobCreated events to (EvaluateMessage's trigger).</summary>
    public const string InboundEventsQueue = "inbound-events";

    /// <summary>Where the queue extension moves an inbound event after <c>maxDequeueCount</c> failed attempts.</summary>
    public const string InboundEventsPoisonQueue = InboundEventsQueue + "-poison";

    /// <summary>Service Bus queue: one verdict message per evaluated message, for the mail platform add-on.</summary>
    public const string VerdictsQueue = "verdicts";

    /// <summary>Service Bus queue: failure-report requests (policy <c>ruf</c> + <c>fo</c>).</summary>
    public const string FailureReportsQueue = "failure-reports";

    /// <summary>Service Bus queue: one aggregate report job per (UTC day, policy domain).</summary>
    public const string AggregateJobsQueue = "aggregate-jobs";

    /// <summary>Service Bus queue: one message per (report part, destination) to send.</summary>
    public const string OutboundReportsQueue = "outbound-reports";

    /// <summary>Table: one verdict entity per message and policy domain.</summary>
    public const string VerdictsTable = "Verdicts";

    /// <summary>Table: per-UTC-day index of policy domains with verdicts.</summary>
    public const string VerdictDomainsTable = "VerdictDomains";

    /// <summary>Table: report watermark, scheduled jobs, sent reports (idempotency).</summary>
    public const string ReportLedgerTable = "ReportLedger";

    /// <summary>Table: input that could not be processed, with its reason.</summary>
    public const string ProcessingErrorsTable = "ProcessingErrors";

    /// <summary>
    /// Storage connection setting: a connection string locally; in Azure <c>__blobServiceUri</c>,
    /// <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential=managedidentity</c>, <c>__clientId</c>.
    /// The host's own storage, the queue trigger and the app's Blob/Queue/Table clients all use it.
    /// </summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>
    /// Service Bus connection setting: a connection string locally; in Azure <c>__fullyQualifiedNamespace</c>,
    /// <c>__credential=managedidentity</c>, <c>__clientId</c>.
    /// </summary>
    public const string ServiceBusConnection = "ServiceBusConnection";

    /// <summary>The Service Bus queues the app sends to or drains, for checks that must cover them all.</summary>
    public static IReadOnlyList<string> ServiceBusQueues { get; } = [VerdictsQueue, FailureReportsQueue, AggregateJobsQueue, OutboundReportsQueue];

    /// <summary>The tables the app uses.</summary>
    public static IReadOnlyList<string> Tables { get; } = [VerdictsTable, VerdictDomainsTable, ReportLedgerTable, ProcessingErrorsTable];

    /// <summary>The blob containers the app or Event Grid uses.</summary>
    public static IReadOnlyList<string> Containers { get; } = [InboundContainer, ReportsContainer, InboundDeadLetterContainer];
}
