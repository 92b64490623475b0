using System.Net;
using System.Net.Sockets;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Replaces private and reserved source addresses in reports with the unspecified address of the same family
/// (<c>0.0.0.0</c> or <c>::</c>), so internal topology does not leave the house and the report stays valid
/// (the schemas want an IP address where MDaemon writes <c>X.X.X.X</c>).
/// </summary>
/// <remarks>Ranges from the IANA special-purpose registries (RFC 6890 and updates): private, loopback,
/// link-local, shared (CGN), documentation, benchmarking, multicast and reserved.</remarks>
public static class SourceIpMasking
{
    private static readonly (uint Network, int Prefix)[] ReservedV4 =
    [
        (0x00000000, 8),   // 0.0.0.0/8 "this network"
        (0x0A000000, 8),   // 10.0.0.0/8 private
        (0x64400000, 10),  // 100.64.0.0/10 shared address space
        (0x7F000000, 8),   // 127.0.0.0/8 loopback
        (0xA9FE0000, 16),  // 169.254.0.0/16 link-local
        (0xAC100000, 12),  // 172.16.0.0/12 private
        (0xC0000000, 24),  // 192.0.0.0/24 IETF protocol assignments
        (0xC0000200, 24),  // 192.0.2.0/24 TEST-NET-1
        (0xC0A80000, 16),  // 192.168.0.0/16 private
        (0xC6120000, 15),  // 198.18.0.0/15 benchmarking
        (0xC6336400, 24),  // 198.51.100.0/24 TEST-NET-2
        (0xCB007100, 24),  // 203.0.113.0/24 TEST-NET-3
        (0xE0000000, 4),   // 224.0.0.0/4 multicast
        (0xF0000000, 4),   // 240.0.0.0/4 reserved, broadcast
    ];

    /// <summary>Whether <paramref name="address"/> is private or reserved.</summary>
    public static bool IsReserved(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            var value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
            foreach (var (network, prefix) in ReservedV4)
            {
                var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
                if ((value & mask) == network)
                {
                    return true;
                }
            }

            return false;
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        return address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
            || (v6[0] & 0xFE) == 0xFC                                // fc00::/7 unique local
            || (v6[0] == 0xFE && (v6[1] & 0xC0) == 0x80)             // fe80::/10 link-local
            || v6[0] == 0xFF                                         // ff00::/8 multicast
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0D && v6[3] == 0xB8); // 2001:db8::/32 documentation
    }

    /// <summary>The address to report: <paramref name="sourceIp"/>, or the unspecified address when it is reserved.</summary>
    public static string Mask(string sourceIp)
    {
        if (!IPAddress.TryParse(sourceIp, out var address) || !IsReserved(address))
        {
            return sourceIp;
        }

        return address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6 ? "0.0.0.0" : "::";
    }
}
