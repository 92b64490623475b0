using System.Net;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;
using YamlDotNet.RepresentationModel;

namespace DmarcCloud.Core.Tests.Spf;

/// <summary>Loads an OpenSPF YAML test suite: every scenario, with its zone data as a <see cref="DnsZone"/>.</summary>
internal static class SpfTestSuite
{
    private static readonly Dictionary<string, IReadOnlyDictionary<string, SpfSuiteCase>> Cache = [];

    public static IReadOnlyDictionary<string, SpfSuiteCase> Load(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var cases))
            {
                cases = Read(Path.Combine(AppContext.BaseDirectory, "TestData", "spf", file));
                Cache[file] = cases;
            }

            return cases;
        }
    }

    private static Dictionary<string, SpfSuiteCase> Read(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var cases = new Dictionary<string, SpfSuiteCase>(StringComparer.Ordinal);
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var scenario = ((YamlScalarNode)root.Children[new YamlScalarNode("description")]).Value!;
            var zone = BuildZone(root.Children.TryGetValue(new YamlScalarNode("zonedata"), out var z) ? z as YamlMappingNode : null);
            foreach (var (key, value) in ((YamlMappingNode)root.Children[new YamlScalarNode("tests")]).Children)
            {
                var test = (YamlMappingNode)value;
                string? Field(string name) => test.Children.TryGetValue(new YamlScalarNode(name), out var node)
                    ? node is YamlSequenceNode many ? string.Join(", ", many.Children.Select(n => ((YamlScalarNode)n).Value)) : ((YamlScalarNode)node).Value
                    : null;
                var resultNode = test.Children[new YamlScalarNode("result")];
                var results = resultNode is YamlSequenceNode list
                    ? list.Children.Select(n => ParseResult(((YamlScalarNode)n).Value!)).ToArray()
                    : [ParseResult(((YamlScalarNode)resultNode).Value!)];
                var name = ((YamlScalarNode)key).Value!;
                cases.Add(name, new SpfSuiteCase(
                    name,
                    scenario,
                    Field("spec") ?? string.Empty,
                    IPAddress.Parse(Field("host")!),
                    Field("mailfrom") ?? string.Empty,
                    Field("helo") ?? string.Empty,
                    results,
                    Field("explanation"),
                    zone));
            }
        }

        return cases;
    }

    private static SpfResult ParseResult(string text) => Enum.Parse<SpfResult>(text, ignoreCase: true);

    /// <summary>
    /// The suite's zone data: SPF entries are served as TXT when the name has no TXT entry ("auto-magic
    /// duplication", file header); <c>TXT: NONE</c> only stops that duplication; TIMEOUT makes every type the name
    /// has no records of fail temporarily; a name listed with no records exists (NODATA).
    /// </summary>
    private static DnsZone BuildZone(YamlMappingNode? data)
    {
        var zone = new DnsZone();
        if (data is null)
        {
            return zone;
        }

        foreach (var (nameNode, entriesNode) in data.Children)
        {
            var name = ((YamlScalarNode)nameNode).Value!;
            var entries = entriesNode is YamlSequenceNode seq ? seq.Children : [];
            var types = new HashSet<DnsRecordType>();
            var timeout = false;
            var spf = new List<TxtRecord>();
            var hasTxtEntry = false;
            zone.AddEmptyName(name);
            foreach (var entry in entries)
            {
                if (entry is YamlScalarNode { Value: "TIMEOUT" })
                {
                    timeout = true;
                    continue;
                }

                var (typeNode, value) = ((YamlMappingNode)entry).Children.Single();
                var type = ((YamlScalarNode)typeNode).Value!;
                switch (type)
                {
                    case "SPF":
                        spf.Add(Txt(value));
                        break;
                    case "TXT":
                        hasTxtEntry = true;
                        if (value is YamlScalarNode { Value: "NONE" })
                        {
                            break;
                        }

                        zone.AddTxt(name, Txt(value));
                        types.Add(DnsRecordType.Txt);
                        break;
                    case "A":
                    case "AAAA":
                        foreach (var address in Scalars(value))
                        {
                            zone.AddAddress(name, IPAddress.Parse(address));
                        }

                        types.Add(type == "A" ? DnsRecordType.A : DnsRecordType.Aaaa);
                        break;
                    case "MX":
                        var mx = ((YamlSequenceNode)value).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray();
                        zone.AddMx(name, ushort.Parse(mx[0], System.Globalization.CultureInfo.InvariantCulture), mx[1]);
                        types.Add(DnsRecordType.Mx);
                        break;
                    case "PTR":
                        zone.AddName(name, DnsRecordType.Ptr, ((YamlScalarNode)value).Value!);
                        types.Add(DnsRecordType.Ptr);
                        break;
                    case "CNAME":
                        zone.AddName(name, DnsRecordType.Cname, ((YamlScalarNode)value).Value!);
                        types.Add(DnsRecordType.Cname);
                        break;
                    default:
                        throw new InvalidDataException($"zone data type {type} at {name} is not handled");
                }
            }

            if (!hasTxtEntry)
            {
                foreach (var record in spf)
                {
                    zone.AddTxt(name, record);
                    types.Add(DnsRecordType.Txt);
                }
            }

            if (timeout)
            {
                foreach (var type in new[] { DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Mx, DnsRecordType.Txt, DnsRecordType.Ptr })
                {
                    if (!types.Contains(type) && !types.Contains(DnsRecordType.Cname))
                    {
                        zone.AddTemporaryFailure(name, type);
                    }
                }
            }
        }

        return zone;
    }

    private static TxtRecord Txt(YamlNode value) => new(Scalars(value).ToArray());

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode list => list.Children.Select(n => ((YamlScalarNode)n).Value ?? string.Empty),
        _ => throw new InvalidDataException($"unexpected zone value {node}"),
    };
}
