namespace DmarcCloud.LocalHost.Hosting;

/// <summary>A function's HTTP route template (<c>reports/{domain}/{day?}</c>), matched segment by segment, case-insensitively.</summary>
public sealed class HttpRouteTemplate
{
    private readonly string[] _segments;

    /// <summary>Parses <paramref name="template"/>.</summary>
    public HttpRouteTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template.Trim('/');
        _segments = Template.Length == 0 ? [] : Template.Split('/');
    }

    /// <summary>The template text.</summary>
    public string Template { get; }

    /// <summary>Matches <paramref name="path"/> (below the route prefix); returns the route values or null.</summary>
    public IReadOnlyDictionary<string, string>? Match(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Trim('/') is { Length: > 0 } p ? p.Split('/') : [];
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            var isParameter = segment.StartsWith('{') && segment.EndsWith('}');
            if (i >= parts.Length)
            {
                if (isParameter && segment.EndsWith("?}", StringComparison.Ordinal))
                {
                    continue;
                }

                return null;
            }

            if (isParameter)
            {
                var name = segment[1..^1].TrimEnd('?').Split(':')[0].TrimStart('*');
                values[name] = Uri.UnescapeDataString(segment.StartsWith("{*", StringComparison.Ordinal) ? string.Join('/', parts[i..]) : parts[i]);
                if (segment.StartsWith("{*", StringComparison.Ordinal))
                {
                    return values;
                }
            }
            else if (!string.Equals(segment, parts[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return parts.Length <= _segments.Length ? values : null;
    }
}
