using DmarcCloud.LocalHost.Rpc;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>How one invocation ended: the worker's response, or why there is none (worker gone, timeout).</summary>
public sealed record InvocationOutcome
{
    /// <summary>The invocation id the host assigned.</summary>
    public required string InvocationId { get; init; }

    /// <summary>The function.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The worker's response, when it answered.</summary>
    internal InvocationResponse? Response { get; init; }

    /// <summary>Why the invocation failed (null when it succeeded).</summary>
    public string? Error { get; init; }

    /// <summary>Whether the worker reported success.</summary>
    public bool Succeeded => Error is null;

    internal static InvocationOutcome From(string invocationId, string functionName, InvocationResponse response) => new()
    {
        InvocationId = invocationId,
        FunctionName = functionName,
        Response = response,
        Error = response.Result?.Status == StatusResult.Types.Status.Success
            ? null
            : response.Result?.Exception?.Message is { Length: > 0 } message
                ? message
                : response.Result?.Result is { Length: > 0 } result ? result : $"invocation ended with status {response.Result?.Status}",
    };

    internal static InvocationOutcome Failed(string invocationId, string functionName, string error) => new()
    {
        InvocationId = invocationId,
        FunctionName = functionName,
        Error = error,
    };
}
