using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Azure.Reporting;

/// <summary>Registers the reporter options, bound and validated at start-up.</summary>
public static class ReportingServiceCollectionExtensions
{
    /// <summary>Binds <see cref="ReporterOptions"/> from <c>Reporting</c> (+ <c>AggregateReportSchedule</c>) and validates it on start.</summary>
    public static IServiceCollection AddReporterOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ReporterOptions>()
            .Bind(configuration.GetSection(ReporterOptions.SectionName))
            .Configure(o => o.Schedule = configuration["AggregateReportSchedule"] ?? o.Schedule)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReporterOptions>, ReporterOptionsValidator>();
        return services;
    }

    /// <summary>Binds and validates without a container (CLI, tests); throws <see cref="OptionsValidationException"/> when invalid.</summary>
    public static ReporterOptions BindReporterOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ReporterOptions();
        configuration.GetSection(ReporterOptions.SectionName).Bind(options);
        options.Schedule = configuration["AggregateReportSchedule"] ?? options.Schedule;
        var result = new ReporterOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(string.Empty, typeof(ReporterOptions), result.Failures);
        }

        return options;
    }
}
