using System.Globalization;
using System.Net;

namespace DmarcCloud.Azure.Dns;

/// <summary>Settings of <see cref="DnsClientResolver"/>.</summary>
public sealed class DnsClientResolverOptions
{
    /// <summary>The recursive resolvers to ask, with their ports; empty means the system's resolvers.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>Time allowed for one try against one server. RFC 7208 §4.6.4 suggests at least 20 s for a whole SPF check.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Further tries per server after a timeout or network error.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Retry over TCP when a UDP answer comes back truncated (TC bit, RFC 1035 §4.2.1, RFC 7766).</summary>
    public bool UseTcpFallback { get; init; } = true;

    /// <summary>Answers kept at most; the entries closest to expiry are dropped first when full.</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>Negative-answer lifetime when the server sent no SOA (RFC 2308 §5 would take the SOA minimum).</summary>
    public TimeSpan DefaultNegativeTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on any cached lifetime, whatever the TTL says.</summary>
    public TimeSpan MaximumTtl { get; init; } = TimeSpan.FromHours(6);

    /// <summary>The clock the cache expires entries by.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Reads a server given as <c>address</c>, <c>address:port</c>, <c>[v6-address]:port</c> or a bare IPv6 address.
    /// Host names are not resolved here. Port 53 when absent.
    /// </summary>
    public static bool TryParseServer(string text, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (IPAddress.TryParse(text, out var bare) && !text.StartsWith('['))
        {
            endPoint = new IPEndPoint(bare, 53);
            return true;
        }

        if (IPEndPoint.TryParse(text, out var parsed) && (text.StartsWith('[') || text.Count(c => c == ':') == 1))
        {
            endPoint = parsed.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal) ? new IPEndPoint(parsed.Address, 53) : parsed;
            return endPoint.Port > 0;
        }

        return false;
    }

    /// <summary>Splits <c>host[:port]</c> into a host and a port (53 when absent); false when the port is not a number.</summary>
    public static bool TrySplitHostPort(string text, out string host, out int port)
    {
        host = text;
        port = 53;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            return text.Length > 0;
        }

        host = text[..colon];
        return host.Length > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
    }
}
