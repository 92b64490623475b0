using System.Net;
using System.Text.Json;
using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// The maintained map of well-known sending services (<c>ReportIngest/sending-services.json</c>, embedded): who a
/// source address sends for, from its published ranges first, then from its reverse-DNS name's suffix.
/// </summary>
/// <remarks>Purely informative (the dashboard's "who sends as you"); never used for an authentication decision.</remarks>
public sealed class SendingServiceCatalog
{
    private const string ResourceName = "DmarcCloud.Core.ReportIngest.sending-services.json";
    private static readonly Lazy<SendingServiceCatalog> EmbeddedCatalog = new(LoadEmbedded);
    private readonly List<(SendingService Service, IPAddress Network, int PrefixLength)> _ranges = [];
    private readonly List<(string Suffix, SendingService Service)> _suffixes = [];

    private SendingServiceCatalog(IReadOnlyList<SendingService> services)
    {
        Services = services;
        foreach (var service in services)
        {
            foreach (var range in service.Ranges)
            {
                var slash = range.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && IPAddress.TryParse(range[..slash], out var network) && int.TryParse(range[(slash + 1)..], out var prefix))
                {
                    _ranges.Add((service, network, prefix));
                }
            }

            foreach (var suffix in service.PtrSuffixes)
            {
                _suffixes.Add((suffix.ToLowerInvariant().Trim('.'), service));
            }
        }

        // Longest suffix first, so "protection.outlook.com" wins over a shorter one of another service.
        _suffixes.Sort((a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
    }

    /// <summary>The catalog embedded in the assembly.</summary>
    public static SendingServiceCatalog Embedded => EmbeddedCatalog.Value;

    /// <summary>Every service.</summary>
    public IReadOnlyList<SendingService> Services { get; }

    /// <summary>Parses a catalog in the JSON format of the embedded file.</summary>
    public static SendingServiceCatalog Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var services = new List<SendingService>();
        foreach (var element in document.RootElement.GetProperty("services").EnumerateArray())
        {
            static IReadOnlyList<string> List(JsonElement e, string name) =>
                e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToList() : [];
            services.Add(new SendingService(element.GetProperty("name").GetString() ?? "?", List(element, "ptrSuffixes"), List(element, "ranges")));
        }

        return new SendingServiceCatalog(services);
    }

    /// <summary>The service that <paramref name="address"/> (or its reverse-DNS name <paramref name="ptr"/>) belongs to, or null.</summary>
    public SendingService? Match(IPAddress? address, string? ptr)
    {
        if (address is not null)
        {
            foreach (var (service, network, prefix) in _ranges)
            {
                if (Contains(network, prefix, address))
                {
                    return service;
                }
            }
        }

        if (!string.IsNullOrEmpty(ptr))
        {
            var name = ptr.ToLowerInvariant().TrimEnd('.');
            foreach (var (suffix, service) in _suffixes)
            {
                if (name == suffix || (name.EndsWith(suffix, StringComparison.Ordinal) && name[name.Length - suffix.Length - 1] == '.'))
                {
                    return service;
                }
            }
        }

        return null;
    }

    private static bool Contains(IPAddress network, int prefix, IPAddress address) =>
        CidrMatch.Contains(network, prefix, address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static SendingServiceCatalog LoadEmbedded()
    {
        using var stream = typeof(SendingServiceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
