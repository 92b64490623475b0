using DmarcCloud.Azure.DomainTools;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.DomainCheck;

namespace DmarcCloud.Functions.DomainTools;

/// <summary>
/// Registers the domain tools (issue 17): the checker over the app's resolver and the advisor/simulator over the
/// received-report store. <c>DomainTools__ReportMailbox</c> (optional) is the platform's mailbox for the <c>rua</c> of
/// generated records, as for the CLI.
/// </summary>
internal static class DomainToolsServices
{
    /// <summary>The route prefix of the domain-tools API (after the host's <c>/api</c>).</summary>
    public const string Prefix = "domain-tools";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var mailbox = configuration["DomainTools:ReportMailbox"] is { Length: > 0 } m ? m : null;
        services.AddSingleton(sp => new ReceivedTrafficReader(sp.GetRequiredService<ReceivedReportStore>()));
        services.AddSingleton(sp => new DomainToolsService(
            sp.GetRequiredService<IDnsResolver>(),
            sp.GetRequiredService<ReceivedTrafficReader>(),
            new DomainCheckOptions { ReportMailbox = mailbox },
            time: sp.GetRequiredService<TimeProvider>()));
    }

    /// <summary>A domain from the route, lower-cased without a trailing dot; null when the checker cannot take it.</summary>
    public static string? Domain(string domain) =>
        DomainChecker.IsCheckableDomain(domain) ? domain.Trim().TrimEnd('.').ToLowerInvariant() : null;
}
