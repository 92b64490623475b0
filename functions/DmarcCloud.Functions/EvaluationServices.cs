using System.Globalization;
using System.Net;
using DmarcCloud.Azure.Dns;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Functions.Health;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Functions;

/// <summary>
/// Registers the DNS resolver and the message evaluator. <c>Dns__ZoneFile</c> (an RFC 1035 zone file, e.g.
/// <c>samples/dns/demo.zone</c>) selects an offline resolver for demos and tests; otherwise the system's DNS
/// servers are used (or <c>Dns__Servers</c>, comma-separated <c>ip[:port]</c>), with <c>Dns__TimeoutSeconds</c>.
/// </summary>
internal static class EvaluationServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var dns = configuration.GetSection("Dns");
        if (dns["ZoneFile"] is { Length: > 0 } zoneFile)
        {
            var path = ResolvePath(zoneFile);
            var parsed = ZoneFileParser.Parse(File.ReadAllText(path));
            if (!parsed.Success)
            {
                throw new InvalidOperationException($"Dns:ZoneFile {path}: {string.Join("; ", parsed.Errors.Take(5))}");
            }

            services.AddSingleton<IDnsResolver>(parsed.Zone);
            services.AddSingleton(new DnsResolverDescription(true, $"offline zone file {zoneFile} ({parsed.Zone.NameCount} names)"));
        }
        else
        {
            var servers = new List<IPEndPoint>();
            foreach (var text in (dns["Servers"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                servers.Add(DnsClientResolverOptions.TryParseServer(text, out var endPoint) && endPoint is not null
                    ? endPoint
                    : throw new InvalidOperationException($"Dns:Servers: '{text}' is not ip[:port]"));
            }

            var timeout = double.TryParse(dns["TimeoutSeconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(3);
            services.AddSingleton<IDnsResolver>(sp => new DnsClientResolver(new DnsClientResolverOptions
            {
                Servers = servers,
                Timeout = timeout,
                TimeProvider = sp.GetRequiredService<TimeProvider>(),
            }));
            services.AddSingleton(new DnsResolverDescription(true, servers.Count == 0 ? "system DNS servers" : $"DNS servers {string.Join(", ", servers)}"));
        }

        // The authserv-id names this receiver in Authentication-Results (RFC 8601 §2.5): Evaluation__AuthServId.
        var evaluatorOptions = new MessageEvaluatorOptions();
        if (configuration["Evaluation:AuthServId"] is { Length: > 0 } authServId)
        {
            evaluatorOptions.AuthServId = authServId;
        }

        services.AddSingleton(evaluatorOptions);
        services.AddSingleton<IMessageEvaluator>(sp => new MessageEvaluator(
            sp.GetRequiredService<IDnsResolver>(), evaluatorOptions, sp.GetRequiredService<TimeProvider>()));
    }

    /// <summary>A relative path is taken from the working directory, else from the repository/app folders above the binary.</summary>
    private static string ResolvePath(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Dns:ZoneFile {path} not found (working directory {Environment.CurrentDirectory}).", path);
    }
}
