using System.Net;

namespace DmarcCloud.Core.Dns;

/// <summary>Whether an address lies in a network written as an address and a prefix length (CIDR notation).</summary>
/// <remarks>
/// RFC 4632 §3.1 (IPv4 prefixes), RFC 4291 §2.3 (IPv6 prefixes). Used by SPF's ip4/ip6/a/mx mechanisms
/// (RFC 7208 §5.6) and by the sending-service catalog. Bits of <c>network</c> past the prefix are ignored, as SPF
/// requires of <c>ip4:192.0.2.1/24</c>. No allocation: an include tree of netblocks compares an address with dozens
/// of networks per check.
/// </remarks>
internal static class CidrMatch
{
    /// <summary>
    /// True when <paramref name="address"/> and <paramref name="network"/> are of one address family and agree on the
    /// first <paramref name="prefixLength"/> bits (clamped to the address length).
    /// </summary>
    public static bool Contains(IPAddress network, int prefixLength, IPAddress address)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        if (!address.TryWriteBytes(a, out var length) || !network.TryWriteBytes(n, out _))
        {
            return false;
        }

        var prefix = Math.Clamp(prefixLength, 0, length * 8);
        var whole = prefix / 8;
        if (!a[..whole].SequenceEqual(n[..whole]))
        {
            return false;
        }

        var bits = prefix % 8;
        if (bits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - bits));
        return (a[whole] & mask) == (n[whole] & mask);
    }
}
