namespace DmarcCloud.Functions;

/// <summary>Log levels by default: one line per message outcome, no per-request noise from the SDKs.</summary>
internal static class LoggingFilters
{
    /// <summary>Azure SDK and worker plumbing log at Warning and above; app settings (<c>Logging__LogLevel__*</c>) still win.</summary>
    public static ILoggingBuilder AddDmarcCloudFilters(this ILoggingBuilder logging)
    {
        logging.AddFilter("Azure.Core", LogLevel.Warning);
        logging.AddFilter("Azure.Messaging.ServiceBus", LogLevel.Warning);
        logging.AddFilter("Azure.Identity", LogLevel.Warning);
        logging.AddFilter("Microsoft.Azure.Functions.Worker", LogLevel.Warning);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }
}
