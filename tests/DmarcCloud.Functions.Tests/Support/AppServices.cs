using DmarcCloud.Azure.Messaging;
using DmarcCloud.Core.Evaluation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DmarcCloud.Functions.Tests;

/// <summary>
/// The app's real service registrations (<see cref="FunctionsServices.AddDmarcCloudFunctions"/>) over the given
/// settings, with Service Bus sends recorded and, where evaluation is not under test, a scripted evaluator.
/// </summary>
internal static class AppServices
{
    /// <summary>A syntactically valid connection string; nothing connects to it (sends go to the recorder).</summary>
    public const string UnusedServiceBus = "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdA==;UseDevelopmentEmulator=true";

    public static ServiceProvider Build(string storageConnectionString, RecordingPublisher publisher, IMessageEvaluator? evaluator = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["ServiceBusConnection"] = UnusedServiceBus,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDmarcCloudFunctions(configuration);
        services.Replace(ServiceDescriptor.Singleton<IServiceBusPublisher>(publisher));
        if (evaluator is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(evaluator));
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
