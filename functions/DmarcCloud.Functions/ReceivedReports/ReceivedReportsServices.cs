using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Functions.ReceivedReports;

/// <summary>Registers the received-report store, intake and query services (issue 12; docs/received-reports.md).</summary>
internal static class ReceivedReportsServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton(sp => new ReceivedReportStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton(sp => new SourceEnricher(sp.GetRequiredService<IDnsResolver>(), time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ReportIngestService(sp.GetRequiredService<ReceivedReportStore>(), sp.GetRequiredService<SourceEnricher>(), ReportIngestOptions.Default, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ReceivedReportQueryService(sp.GetRequiredService<ReceivedReportStore>(), sp.GetRequiredService<TimeProvider>()));
    }
}
