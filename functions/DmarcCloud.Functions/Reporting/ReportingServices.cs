using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Reporting;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Functions.Reporting;

/// <summary>The aggregate reporting services and the handlers of its three functions.</summary>
internal static class ReportingServices
{
    /// <summary>Registers options (validated at start-up), ledger, blobs, destination check, SMTP and the functions.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetSection(ReporterOptions.SectionName).Exists();
        services.AddSingleton(new ReportingAvailability(configured));
        if (configured)
        {
            services.AddReporterOptions(configuration); // bound, validated on start
        }
        else
        {
            services.AddOptions<ReporterOptions>();
        }

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReporterOptions>>().Value);
        services.AddSingleton(sp => new ReportLedger(sp.GetRequiredService<TableServiceClient>().GetTableClient(ReportLedger.TableName), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ReportBlobStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(ReportBlobStore.ContainerName)));
        services.AddSingleton(sp =>
        {
            var dns = sp.GetRequiredService<IDnsResolver>();
            return new ExternalDestinationVerifier(dns, new DmarcOrganizationalDomainResolver(dns));
        });
        services.AddSingleton<AggregateReportScheduler>();
        services.AddSingleton<AggregateReportJobProcessor>();
        services.AddSingleton<ReportMessageFactory>();
        services.AddSingleton<SmtpReportSender>();
        services.AddSingleton<ReportDispatcher>();
        services.AddSingleton<AggregateJobScheduling>();
        services.AddSingleton<AggregateJobHandler>();
        services.AddSingleton<OutboundReportHandler>();
    }
}
