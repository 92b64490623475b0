using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DmarcCloud.Core.Dns;

/// <summary>Helpers for domain names as DNS sees them.</summary>
public static class DnsName
{
    /// <summary>Lower-case, without the trailing dot: the form every DmarcCloud map is keyed by.</summary>
    public static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();

    /// <summary>The parent of <paramref name="name"/>, or null at a top-level name.</summary>
    public static string? Parent(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : name[(dot + 1)..];
    }

    /// <summary>The reverse-lookup name of an address (RFC 1035 §3.5, RFC 3596 §2.5).</summary>
    public static string ReverseName(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var sb = new StringBuilder();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                sb.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            }

            return sb.Append("in-addr.arpa").ToString();
        }

        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            sb.Append(NibbleChar(bytes[i] & 0xF)).Append('.').Append(NibbleChar(bytes[i] >> 4)).Append('.');
        }

        return sb.Append("ip6.arpa").ToString();

        static char NibbleChar(int n) => (char)(n < 10 ? '0' + n : 'a' + n - 10);
    }
}
