using System.Text;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using YamlDotNet.RepresentationModel;

namespace DmarcCloud.Core.Tests.Dkim;

/// <summary>One entry of TestData/dkim/dkim-vectors.yml.</summary>
internal sealed record DkimVector(
    string Id,
    string MessagePath,
    IReadOnlyDictionary<string, string> DnsTxt,
    IReadOnlyList<string> IndependentCheck,
    long? VerifyTimeUnix)
{
    public static IReadOnlyList<DkimVector> Load()
    {
        var root = TestFiles.YamlDocuments("dkim", "dkim-vectors.yml")[0];
        var vectors = (YamlSequenceNode)root.Child("vectors")!;
        return vectors.Children.Cast<YamlMappingNode>().Select(v => new DkimVector(
            v.Scalar("id")!,
            v.Scalar("message")!,
            ((YamlMappingNode)v.Child("dns_txt")!).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!),
            ((YamlSequenceNode)v.Child("independent_check")!).Children.Select(c => ((YamlScalarNode)c).Value!).ToList(),
            v.Scalar("verify_time_unix") is { } t ? long.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : null)).ToList();
    }

    public static IReadOnlyDictionary<string, DkimVector> ById { get; } = Load().ToDictionary(v => v.Id);

    public DnsZone Zone()
    {
        var zone = new DnsZone();
        foreach (var (name, txt) in DnsTxt)
        {
            zone.AddTxt(name, txt);
        }

        return zone;
    }

    /// <summary>The message bytes; stalwart files start with "name TXT" lines and a blank line, which are skipped.</summary>
    public byte[] MessageBytes() => StripDnsPreamble(TestFiles.Bytes(["dkim", .. MessagePath.Split('/')]), MessagePath.StartsWith("stalwart", StringComparison.Ordinal));

    public static byte[] StripDnsPreamble(byte[] bytes, bool hasPreamble)
    {
        if (!hasPreamble)
        {
            return bytes;
        }

        var text = bytes.AsSpan();
        var blank = text.IndexOf("\n\n"u8);
        return text[(blank + 2)..].ToArray();
    }

    public static IEnumerable<(string Name, string Txt)> DnsPreamble(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        foreach (var line in text[..text.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            yield return (line[..space], line[(space + 1)..]);
        }
    }
}
