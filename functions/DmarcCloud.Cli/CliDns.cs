using System.Net;
using System.Net.Sockets;
using DmarcCloud.Azure.Dns;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.Cli;

/// <summary>
/// Builds the DNS resolver a command uses from <c>--dns-zone &lt;file&gt;</c> (offline, an RFC 1035 master file),
/// <c>--dns-server &lt;host[:port]&gt;</c> (that resolver, no other), or neither (the system's resolvers).
/// </summary>
internal static class CliDns
{
    /// <summary>The usage text of the DNS options, for commands' usage lines.</summary>
    public const string Usage = "[--dns-zone <file> | --dns-server <host[:port]>]";

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

        return new DnsClientResolver();
    }

    /// <summary>
    /// A second resolver named by one value (<c>--compare-with</c>): an existing file is read as a zone file,
    /// anything else is a DNS server <c>host[:port]</c>.
    /// </summary>
    public static Task<IDnsResolver> CreateResolverFromAsync(string value, CancellationToken cancellationToken) =>
        File.Exists(value) ? LoadZoneAsync(value, cancellationToken) : CreateServerResolverAsync(value, cancellationToken);

    private static async Task<IDnsResolver> LoadZoneAsync(string zoneFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(zoneFile))
        {
            throw new CliUsageException($"zone file '{zoneFile}' not found");
        }

        var parsed = await ZoneFileParser.LoadAsync(zoneFile, cancellationToken).ConfigureAwait(false);
        if (!parsed.Success)
        {
            throw new CliUsageException($"zone file '{zoneFile}' has errors: {string.Join("; ", parsed.Errors)}");
        }

        return parsed.Zone;
    }

    private static async Task<IDnsResolver> CreateServerResolverAsync(string server, CancellationToken cancellationToken)
    {
        var endPoint = await ResolveServerAsync(server, cancellationToken).ConfigureAwait(false);
        return new DnsClientResolver(new DnsClientResolverOptions { Servers = [endPoint] });
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
