using DmarcCloud.Core.Evaluation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DmarcCloud.Functions.Tests;

/// <summary>The handler in-process, over the given storage, optionally with a scripted evaluator.</summary>
internal sealed class HandlerFactory(string storageConnectionString, IMessageEvaluator? evaluator = null, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<DmarcCloud.Functions.Invocation.InvocationResult> // any type of the handler assembly: LocalHost has a Program too
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("AzureWebJobsStorage", storageConnectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (evaluator is not null)
        {
            builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(evaluator)));
        }
    }
}
