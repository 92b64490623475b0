using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using DmarcCloud.Azure.Dns;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Cli;

/// <summary>
/// Builds the DNS resolver a command uses from <c>--dns-zone &lt;file&gt;</c> (offline, an RFC 1035 master file),
/// <c>--dns-server &lt;host[:port]&gt;</c> (that resolver, no other), or neither (the system's resolvers).
/// </summary>
internal static class CliDns
{
    /// <summary>The usage text of the DNS options, for commands' usage lines.</summary>
    public const string Usage = "[--dns-zone <file> | --dns-server <host[:port]>]";

    /// <summary>The DNS options, for commands' parameters.</summary>
    public static IEnumerable<Symbol> Parameters() =>
    [
        CliParameters.Value("dns-zone", "file", "answer DNS from this zone file (RFC 1035 master file), offline"),
        CliParameters.Value("dns-server", "host[:port]", "ask this DNS server, no other (default: the system's resolvers)"),
    ];

    /// <summary>Takes <c>--dns-zone</c> / <c>--dns-server</c> from <paramref name="arguments"/>; bad values are usage errors.</summary>
    public static async Task<IDnsResolver> CreateResolverAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var zoneFile = arguments.Option("dns-zone");
        var server = arguments.Option("dns-server");
        if (zoneFile is not null && server is not null)
        {
            throw new CliUsageException("give --dns-zone or --dns-server, not both");
        }

        if (zoneFile is not null)
        {
            return await LoadZoneAsync(zoneFile, cancellationToken).ConfigureAwait(false);
        }

        if (server is not null)
        {
            return await CreateServerResolverAsync(server, cancellationToken).ConfigureAwait(false);
        }

        return new ProbedResolver(new DnsClientResolver(new DnsClientResolverOptions { Timeout = QueryTimeout }), [], "the system's DNS resolvers");
    }

    /// <summary>Per query; a resolver that does not answer within it is reported, not waited on.</summary>
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// One probe query before the command's first lookup (so that argument errors come first): a resolver that does
    /// not answer (closed port, no network) is a one-line failure with exit 4 after about 2 s, instead of every lookup
    /// timing out into temperror. Any answer, NXDOMAIN included, shows the resolver works.
    /// </summary>
    private sealed class ProbedResolver(IDnsResolver inner, IPEndPoint[] servers, string description) : IDnsResolver
    {
        private Task? _probe;

        public async Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default)
        {
            await ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
            return await inner.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        }

        public async Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default)
        {
            await ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
            return await inner.LookupAAsync(name, cancellationToken).ConfigureAwait(false);
        }

        public async Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default)
        {
            await ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
            return await inner.LookupAaaaAsync(name, cancellationToken).ConfigureAwait(false);
        }

        public async Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default)
        {
            await ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
            return await inner.LookupMxAsync(name, cancellationToken).ConfigureAwait(false);
        }

        public async Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default)
        {
            await ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
            return await inner.LookupPtrAsync(address, cancellationToken).ConfigureAwait(false);
        }

        private Task ProbeOnceAsync(CancellationToken cancellationToken) => _probe ??= ProbeAsync(servers, description, cancellationToken);
    }

    private static async Task ProbeAsync(IPEndPoint[] servers, string name, CancellationToken cancellationToken)
    {
        var probe = new DnsClientResolver(new DnsClientResolverOptions
        {
            Servers = servers,
            Timeout = QueryTimeout,
            Retries = 0,
        });
        var answer = await probe.LookupTxtAsync("dmarccloud-probe.invalid", cancellationToken).ConfigureAwait(false);
        if (answer.Status == DnsResultStatus.TemporaryFailure)
        {
            throw CliFailure.Unavailable($"{name} did not answer ({answer.Error}); check --dns-server, or use --dns-zone <file> offline");
        }
    }

    /// <summary>
    /// A second resolver named by one value (<c>--compare-with</c>): an existing file is read as a zone file,
    /// anything else is a DNS server <c>host[:port]</c>.
    /// </summary>
    public static Task<IDnsResolver> CreateResolverFromAsync(string value, CancellationToken cancellationToken) =>
        File.Exists(value) ? LoadZoneAsync(value, cancellationToken) : CreateServerResolverAsync(value, cancellationToken);

    private static async Task<IDnsResolver> LoadZoneAsync(string zoneFile, CancellationToken cancellationToken)
    {
        var text = await CliFiles.ReadAsync(zoneFile, "zone file", cancellationToken).ConfigureAwait(false);
        var parsed = ZoneFileParser.Parse(System.Text.Encoding.UTF8.GetString(text));
        if (!parsed.Success)
        {
            throw new CliUsageException($"zone file '{zoneFile}' has errors: {string.Join("; ", parsed.Errors)}");
        }

        return parsed.Zone;
    }

    private static async Task<IDnsResolver> CreateServerResolverAsync(string server, CancellationToken cancellationToken)
    {
        var endPoint = await ResolveServerAsync(server, cancellationToken).ConfigureAwait(false);
        return new ProbedResolver(new DnsClientResolver(new DnsClientResolverOptions { Servers = [endPoint], Timeout = QueryTimeout }), [endPoint], $"DNS server {endPoint}");
    }

    private static async Task<IPEndPoint> ResolveServerAsync(string text, CancellationToken cancellationToken)
    {
        if (DnsClientResolverOptions.TryParseServer(text, out var endPoint))
        {
            return endPoint!;
        }

        if (!DnsClientResolverOptions.TrySplitHostPort(text, out var host, out var port))
        {
            throw new CliUsageException($"--dns-server '{text}' is not host[:port]");
        }

        IPAddress[] addresses;
        try
        {
            addresses = await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new CliUsageException($"--dns-server host '{host}' cannot be resolved: {ex.Message}");
        }

        return addresses.Length > 0
            ? new IPEndPoint(addresses[0], port)
            : throw new CliUsageException($"--dns-server host '{host}' has no address");
    }
}
