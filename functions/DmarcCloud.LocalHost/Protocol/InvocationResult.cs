using System.Net;

namespace DmarcCloud.LocalHost.Protocol;

/// <summary>How one invocation of the handler ended.</summary>
public sealed record InvocationResult
{
    /// <summary>The invocation id sent in <c>X-Azure-Functions-InvocationId</c>.</summary>
    public required Guid InvocationId { get; init; }

    /// <summary>The HTTP status, or null when the handler could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The parsed response of a successful invocation.</summary>
    public HandlerResponse? Response { get; init; }

    /// <summary>Why the invocation failed (non-2xx with its body, protocol error, unreachable, timeout).</summary>
    public string? Error { get; init; }

    /// <summary>True when the handler answered 2xx with a valid body.</summary>
    public bool Succeeded => Response is not null;

    /// <summary>True when the failure is a protocol error (2xx with an empty or invalid body).</summary>
    public bool IsProtocolError { get; init; }
}
