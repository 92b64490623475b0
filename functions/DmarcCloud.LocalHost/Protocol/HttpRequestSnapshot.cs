namespace DmarcCloud.LocalHost.Protocol;

/// <summary>An incoming HTTP request copied for forwarding to the handler.</summary>
public sealed record HttpRequestSnapshot
{
    /// <summary>The absolute URL as the client called it.</summary>
    public required string Url { get; init; }

    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Query parameters (first value of each).</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>Headers with all their values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Route parameters matched from the function's route template.</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; init; } = new Dictionary<string, string>();

    /// <summary>The request body.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }
}
