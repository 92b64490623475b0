using System.Net;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.OfflineDns;

/// <summary>
/// An offline <see cref="IDnsResolver"/> over records held in memory: filled from an RFC 1035 master file
/// (<c>ZoneFileParser</c>), from conformance-suite zone data, or in code. Answers as an authoritative server
/// would: CNAME chains are followed, a name with no record of the asked type but with other records or
/// with names below it is NODATA, an absent name is NXDOMAIN, and RFC 4592 wildcards (<c>*.example.com</c>)
/// match below their closest encloser. Names or (name, type) pairs can be marked to fail temporarily.
/// </summary>
/// <remarks>Fill it first, then query it: it is not safe to change while it is being queried.</remarks>
public sealed class DnsZone : IDnsResolver
{
    private const int MaxCnameChain = 8;

    private readonly Dictionary<string, Dictionary<DnsRecordType, List<object>>> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _existingNames = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, DnsRecordType? Type), string> _failures = [];

    /// <summary>Number of owner names that hold records.</summary>
    public int NameCount => _nodes.Count;

    /// <summary>Adds an A or AAAA record (the type follows the address family).</summary>
    public DnsZone AddAddress(string name, IPAddress address) =>
        Add(name, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A, address);

    /// <summary>Adds a TXT record.</summary>
    public DnsZone AddTxt(string name, TxtRecord record) => Add(name, DnsRecordType.Txt, record);

    /// <summary>Adds a TXT record of one character-string.</summary>
    public DnsZone AddTxt(string name, string text) => Add(name, DnsRecordType.Txt, new TxtRecord(text));

    /// <summary>Adds an MX record.</summary>
    public DnsZone AddMx(string name, ushort preference, string exchange) =>
        Add(name, DnsRecordType.Mx, new MxRecord(preference, DnsName.Normalize(exchange)));

    /// <summary>Adds a record whose data is a domain name (PTR, CNAME, NS).</summary>
    public DnsZone AddName(string name, DnsRecordType type, string target)
    {
        if (type is not (DnsRecordType.Ptr or DnsRecordType.Cname or DnsRecordType.Ns))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Only PTR, CNAME and NS hold a domain name.");
        }

        return Add(name, type, DnsName.Normalize(target));
    }

    /// <summary>Adds an SOA record, kept as its presentation text.</summary>
    public DnsZone AddSoa(string name, string data) => Add(name, DnsRecordType.Soa, data);

    /// <summary>Marks a name as existing with no records (an empty non-terminal or an empty node).</summary>
    public DnsZone AddEmptyName(string name)
    {
        var key = DnsName.Normalize(name);
        _nodes.TryAdd(key, []);
        MarkExisting(key);
        return this;
    }

    /// <summary>Makes every query for <paramref name="name"/> (or only for <paramref name="type"/>) fail temporarily.</summary>
    public DnsZone AddTemporaryFailure(string name, DnsRecordType? type = null, string error = "timeout")
    {
        _failures[(DnsName.Normalize(name), type)] = error;
        return this;
    }

    /// <summary>The records of one type at a name, without following CNAMEs.</summary>
    public IReadOnlyList<object> GetRecords(string name, DnsRecordType type) =>
        _nodes.TryGetValue(DnsName.Normalize(name), out var node) && node.TryGetValue(type, out var list) ? list : [];

    /// <summary>All owner names holding records, normalized.</summary>
    public IEnumerable<string> Names => _nodes.Keys;

    /// <inheritdoc />
    public Task<DnsResult<TxtRecord>> LookupTxtAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve<TxtRecord>(name, DnsRecordType.Txt));

    /// <inheritdoc />
    public Task<DnsResult<IPAddress>> LookupAAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve<IPAddress>(name, DnsRecordType.A));

    /// <inheritdoc />
    public Task<DnsResult<IPAddress>> LookupAaaaAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve<IPAddress>(name, DnsRecordType.Aaaa));

    /// <inheritdoc />
    public Task<DnsResult<MxRecord>> LookupMxAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve<MxRecord>(name, DnsRecordType.Mx));

    /// <inheritdoc />
    public Task<DnsResult<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve<string>(DnsName.ReverseName(address), DnsRecordType.Ptr));

    /// <summary>Answers one question the way an authoritative server holding this zone would.</summary>
    public DnsResult<T> Resolve<T>(string name, DnsRecordType type)
    {
        var current = DnsName.Normalize(name);
        for (var hop = 0; hop <= MaxCnameChain; hop++)
        {
            if (_failures.TryGetValue((current, type), out var error) || _failures.TryGetValue((current, null), out error))
            {
                return DnsResult<T>.TemporaryFailure(error);
            }

            var node = FindNode(current);
            if (node is null)
            {
                return DnsResult<T>.NxDomain();
            }

            if (node.TryGetValue(type, out var records) && records.Count > 0)
            {
                return DnsResult<T>.Success(records.Cast<T>().ToArray());
            }

            if (type != DnsRecordType.Cname && node.TryGetValue(DnsRecordType.Cname, out var alias) && alias.Count > 0)
            {
                current = (string)alias[0];
                continue;
            }

            return DnsResult<T>.NoData();
        }

        // A chain longer than any resolver follows (or a loop): resolvers answer SERVFAIL.
        return DnsResult<T>.TemporaryFailure("CNAME chain too long");
    }

    private Dictionary<DnsRecordType, List<object>>? FindNode(string name)
    {
        if (_nodes.TryGetValue(name, out var node))
        {
            return node;
        }

        if (_existingNames.Contains(name))
        {
            return [];
        }

        // RFC 4592 §3.3.1: a wildcard applies at the closest encloser of a name that does not exist.
        for (var encloser = DnsName.Parent(name); encloser is not null; encloser = DnsName.Parent(encloser))
        {
            if (_nodes.ContainsKey(encloser) || _existingNames.Contains(encloser))
            {
                return _nodes.GetValueOrDefault("*." + encloser);
            }
        }

        return null;
    }

    private DnsZone Add(string name, DnsRecordType type, object data)
    {
        var key = DnsName.Normalize(name);
        if (!_nodes.TryGetValue(key, out var node))
        {
            node = [];
            _nodes[key] = node;
        }

        if (!node.TryGetValue(type, out var list))
        {
            list = [];
            node[type] = list;
        }

        list.Add(data);
        MarkExisting(key);
        return this;
    }

    private void MarkExisting(string key)
    {
        // Every ancestor of an owner name exists (empty non-terminals answer NODATA, not NXDOMAIN).
        for (var n = key; n is not null && _existingNames.Add(n); n = DnsName.Parent(n))
        {
        }
    }
}
