using DmarcCloud.Functions.Health;

namespace DmarcCloud.Functions;

/// <summary>
/// Registers the DNS resolver and the message evaluator: an offline zone file when <c>Dns__ZoneFile</c> is set
/// (the demo), else the system's DNS.
/// </summary>
internal static class EvaluationServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        // The evaluator (branch dmarc) and the resolvers (branch spf) are wired here once they land in main.
        services.AddSingleton(new DnsResolverDescription(false, "no DNS resolver is wired yet"));
    }
}
