using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Functions.EvaluateMessage;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.Health;
using DmarcCloud.Functions.Reporting;

namespace DmarcCloud.Functions;

/// <summary>The handler's services: options, Azure clients, stores, evaluator, functions.</summary>
internal static class HandlerServices
{
    /// <summary>Registers everything the functions need.</summary>
    public static IServiceCollection AddDmarcCloudHandler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.Configure<InboundOptions>(configuration.GetSection("Inbound"));
        var verdictOptions = new VerdictStoreOptions();
        configuration.GetSection("VerdictStore").Bind(verdictOptions);
        services.AddSingleton(verdictOptions);

        // AzureWebJobsStorage: a connection string locally (Azurite), identity-based settings in Azure.
        var storage = ReadStorageConnection(configuration.GetSection("AzureWebJobsStorage"));
        services.AddSingleton(storage);
        services.AddSingleton(_ => storage.CreateBlobServiceClient());
        services.AddSingleton(_ => storage.CreateTableServiceClient());
        services.AddSingleton<IVerdictStore>(sp => new TableVerdictStore(sp.GetRequiredService<TableServiceClient>(), verdictOptions));
        services.AddSingleton(sp => new TableProcessingErrorStore(sp.GetRequiredService<TableServiceClient>()));

        EvaluationServices.Add(services, configuration);
        ReportingServices.Add(services, configuration);

        services.AddSingleton<InboundMessageProcessor>();
        services.AddSingleton<EvaluateMessageFunction>();
        services.AddSingleton<HealthFunction>();
        return services;
    }

    /// <summary>Reads the host's storage setting: a value (connection string) or <c>__accountName</c>, <c>__blobServiceUri</c>, … children.</summary>
    internal static StorageConnection ReadStorageConnection(IConfigurationSection section)
    {
        static Uri? AsUri(string? text) => string.IsNullOrWhiteSpace(text) ? null : new Uri(text);
        return new StorageConnection
        {
            ConnectionString = string.IsNullOrWhiteSpace(section.Value) ? null : section.Value,
            AccountName = section["accountName"],
            BlobServiceUri = AsUri(section["blobServiceUri"]),
            QueueServiceUri = AsUri(section["queueServiceUri"]),
            TableServiceUri = AsUri(section["tableServiceUri"]),
            Credential = section["credential"],
            ClientId = section["clientId"],
        };
    }
}
