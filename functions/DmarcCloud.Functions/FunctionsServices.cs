using Azure.Data.Tables;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.Health;
using DmarcCloud.Functions.Reporting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace DmarcCloud.Functions;

/// <summary>The app's services: options (bound once, validated at start-up), Azure clients from DI, stores, handlers.</summary>
internal static class FunctionsServices
{
    /// <summary>Registers everything the functions need.</summary>
    public static IServiceCollection AddDmarcCloudFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(StorageClientConfiguration.For(configuration, "blob"));
            clients.AddQueueServiceClient(StorageClientConfiguration.For(configuration, "queue"));
            clients.AddTableServiceClient(StorageClientConfiguration.For(configuration, "table"));
            clients.AddServiceBusClient(configuration.GetSection(ResourceNames.ServiceBusConnection));
        });

        services.AddOptions<InboundOptions>().Bind(configuration.GetSection(InboundOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InboundOptions>, ListValidator<InboundOptions>>();
        services.AddOptions<VerdictStoreOptions>().Bind(configuration.GetSection("VerdictStore")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VerdictStoreOptions>, ListValidator<VerdictStoreOptions>>();
        services.AddOptions<ServiceBusDrainOptions>().Bind(configuration.GetSection(ServiceBusDrainOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceBusDrainOptions>, ListValidator<ServiceBusDrainOptions>>();

        services.AddSingleton<IVerdictStore>(sp => new TableVerdictStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<VerdictStoreOptions>>().Value));
        services.AddSingleton(sp => new TableProcessingErrorStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<ServiceBusPublisher>();
        services.AddSingleton<IServiceBusPublisher>(sp => sp.GetRequiredService<ServiceBusPublisher>());
        services.AddSingleton<ServiceBusDrain>();

        EvaluationServices.Add(services, configuration);
        ReportingServices.Add(services, configuration);
        services.AddSingleton<InboundMessageProcessor>();
        ReceivedReports.ReceivedReportsServices.Add(services);
        services.AddSingleton<HealthCheck>();
        services.AddDmarcCloudTelemetry(configuration);
        DomainTools.DomainToolsServices.Add(services, configuration);
        return services;
    }

    /// <summary>
    /// OpenTelemetry through the worker's instrumentation; exported to Azure Monitor (Entra-authenticated with the
    /// app's user-assigned identity) when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, i.e. in Azure.
    /// </summary>
    private static void AddDmarcCloudTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter(options =>
            {
                if (configuration["AZURE_CLIENT_ID"] is { Length: > 0 } clientId)
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }
    }
}
