using System.Net;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using YamlDotNet.Serialization;

namespace DmarcCloud.Core.Tests.Dmarc;

/// <summary>Loads the DMARC conformance tables under TestData/ and turns their DNS tables into <see cref="DnsZone"/>s.</summary>
internal static class ConformanceData
{
    public static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    public static Dictionary<object, object> LoadYaml(params string[] parts)
    {
        var text = File.ReadAllText(PathOf(parts));
        return (Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize<object>(text)!;
    }

    public static Dictionary<object, object> Map(object? node) => node as Dictionary<object, object> ?? [];

    public static List<object> List(object? node) => node as List<object> ?? [];

    public static string? Str(object? node) => node as string;

    public static string? Str(Dictionary<object, object> map, string key) => map.TryGetValue(key, out var v) ? v as string : null;

    public static IEnumerable<string> Strings(object? node) => node switch
    {
        string s => [s],
        List<object> l => l.Select(x => x.ToString()!),
        _ => [],
    };

    /// <summary>A zone from a list of {name, type, value} entries (TXT values may be lists of character-strings).</summary>
    public static DnsZone ZoneFromEntries(DnsZone zone, object? entries)
    {
        foreach (var entry in List(entries).Select(Map))
        {
            var name = Str(entry, "name")!;
            var type = Str(entry, "type")!.ToUpperInvariant();
            switch (type)
            {
                case "TXT":
                    zone.AddTxt(name, new TxtRecord(Strings(entry["value"]).ToArray()));
                    break;
                case "A":
                case "AAAA":
                    zone.AddAddress(name, IPAddress.Parse(Str(entry, "value")!));
                    break;
                case "MX":
                    var mx = Str(entry, "value")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    zone.AddMx(name, ushort.Parse(mx[0], System.Globalization.CultureInfo.InvariantCulture), mx[1]);
                    break;
                default:
                    throw new InvalidDataException($"unsupported type {type}");
            }
        }

        return zone;
    }

    /// <summary>A zone from master-file lines of the forms `name TTL TXT "…"` and `name TTL MX pref host`.</summary>
    public static DnsZone ZoneFromMasterLines(DnsZone zone, string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            var name = fields[0];
            var rest = line[(line.IndexOf(fields[2], line.IndexOf(fields[1], fields[0].Length, StringComparison.Ordinal) + fields[1].Length, StringComparison.Ordinal) + fields[2].Length)..].Trim();
            switch (fields[2])
            {
                case "TXT":
                    zone.AddTxt(name, rest.Trim('"'));
                    break;
                case "MX":
                    var mx = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    zone.AddMx(name, ushort.Parse(mx[0], System.Globalization.CultureInfo.InvariantCulture), mx[1]);
                    break;
                default:
                    throw new InvalidDataException($"unsupported line {line}");
            }
        }

        return zone;
    }
}
