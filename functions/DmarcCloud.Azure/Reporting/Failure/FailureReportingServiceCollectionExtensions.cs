using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>Registers the failure report options, bound from <c>FailureReporting</c> and validated at start-up.</summary>
public static class FailureReportingServiceCollectionExtensions
{
    /// <summary>Binds <see cref="FailureReporterOptions"/> (defaults when the section is absent) and validates it on start.</summary>
    public static IServiceCollection AddFailureReporterOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FailureReporterOptions>()
            .Bind(configuration.GetSection(FailureReporterOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FailureReporterOptions>, FailureReporterOptionsValidator>();
        return services;
    }
}
